import { createHash } from 'node:crypto';
import { type EntityManager, QueryOrder, raw } from '@mikro-orm/core';
import { fixedLinkProperties } from '../dsl/linked-account-options.ts';
import { multiAccountOptionsOf } from '../dsl/registry.ts';
import type { EntityDefinition } from '../dsl/entity-class.ts';
import { MultiAccountSession } from '../transformers/browser-session-entity.ts';
import { MultiAccountSessionAccount } from '../transformers/session-account-entity.ts';
import { passesActiveCheck } from './active-check.ts';
import { userIdOf, type UserId } from './arguments.ts';
import { BrowserSessions } from './browser-sessions.ts';
import { expiryCutoff } from './expiry.ts';
import { LinkedAccountActions } from './linked-account-actions.ts';
import { multiAccountPair, type MultiAccountPair } from './multi-account-pair.ts';
import { sqlEntityManager } from './sql-entity-manager.ts';

/** One browser session an account is signed in on, as the account's owner may see it. */
export interface AccountBrowserSession {
  /** A handle for it that tells nothing of its cookie, to show in a page and to name it to `revokeAccount`. */
  id: string;
  /** Browser and system ("Chrome on Linux"), or null when the User-Agent told nothing. */
  device: string | null;
  /** Only when the app records it (`devices: { ipAddress: true }`). */
  ipAddress: string | null;
  /** When the account signed in on it (last, if it signed in again). */
  signedInAt: Date;
  /** Its last use, to the hour. */
  lastUsedAt: Date | null;
  /** `only`: the browser's one account; `primary`: it started the group; `linked`: added to another's group. */
  role: 'only' | 'primary' | 'linked';
  /** Whether it is the browser session of the request that asked (`current`). */
  current: boolean;
}

export interface AccountSessionsOptions {
  /** The @MultiAccount entity; needed only when the ORM has more than one. */
  userEntity?: EntityDefinition;
}

/** The handle `listBrowserSessions` shows for a session token. */
export function browserSessionHandle(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 22);
}

/**
 * Every browser session `userId` is signed in on — as the only account, the primary of a group or a linked one —
 * most recently used first, in one statement (by the index on the account's sign-ins). `current` is the request's
 * own session token, to mark it.
 */
export async function listBrowserSessions(
  em: EntityManager,
  userId: UserId,
  { userEntity, current }: AccountSessionsOptions & { current?: string } = {},
): Promise<AccountBrowserSession[]> {
  const sessions = await sessionsWithTokens(em, pairOf(em, userEntity), userId, current);
  return sessions.map(({ token: _token, ...session }) => session);
}

/** The listing, each session with its token (which never leaves this module: pages get the handle). */
async function sessionsWithTokens(
  em: EntityManager,
  pair: MultiAccountPair,
  userId: UserId,
  current?: string,
): Promise<(AccountBrowserSession & { token: string })[]> {
  const id = String(userId);
  const rows = (await browserSessionsQuery(em, pair, userId).execute('all', false)) as Record<string, unknown>[];
  return rows.map(row => {
    const record = em.map(MultiAccountSession, row);
    const token = record.id;
    return {
      token,
      id: browserSessionHandle(token),
      device: record.device,
      ipAddress: record.ipAddress,
      signedInAt: new Date(row.signed_in_at as string),
      lastUsedAt: record.lastUsedAt,
      role: record.primaryId === null ? 'only' : record.primaryId === id ? 'primary' : 'linked',
      current: token === current,
    };
  });
}

/**
 * `listBrowserSessions`' statement, not run (the bench shows its plan): from the account's sign-ins (by their
 * `user_id` index) to their sessions (by key), each kept while the account still belongs to it — named by the
 * record, or linked into its group (by the links' index on the linked account and the token).
 */
export function browserSessionsQuery(em: EntityManager, pair: MultiAccountPair, userId: UserId) {
  const id = String(userId);
  const linked = stillLinked(em, pair, userId);
  return sqlEntityManager(em)
    .createQueryBuilder(MultiAccountSessionAccount, 'mma_signin')
    .select(['mma_signin.signedInAt', 'mma_record.*'])
    .join('mma_signin.session', 'mma_record')
    .where({
      userId: id,
      session: { expiresAt: { $gt: new Date() } },
      $or: [{ session: { actingId: id } }, { session: { primaryId: id } }, { [raw(linked.sql, linked.params)]: [] }],
    })
    .orderBy({ session: { lastUsedAt: QueryOrder.DESC_NULLS_LAST } });
}

/** Whether the sign-in's session has `userId` linked into its group (active, unexpired): a correlated `exists`. */
function stillLinked(em: EntityManager, pair: MultiAccountPair, userId: UserId) {
  const names = pair.link.options;
  const { sql, params } = sqlEntityManager(em)
    .createQueryBuilder(pair.link.meta.class, 'mma_linked_in')
    .select(raw('1'))
    .where({
      [names.linkedUserRelationshipName]: userIdOf(pair, userId),
      [names.sessionTokenAttributeName]: raw('??', ['mma_signin.session_id']),
      [names.statusAttributeName]: 'active',
      [fixedLinkProperties.updatedAt]: { $gte: expiryCutoff(pair) },
    })
    .toQuery();
  return { sql: `exists (${sql})`, params };
}

export interface RevokeAccountOptions extends AccountSessionsOptions {
  /** A session (its `id` from `listBrowserSessions`) to leave alone: "everywhere but here". */
  except?: string;
  /** Only this session (its `id` from `listBrowserSessions`). */
  only?: string;
}

/**
 * `userId` leaves every browser session it is signed in on (or the one `only` names): where it was alone, that
 * browser is signed out; where it was linked, its link goes; where it was the primary, the group goes to its oldest
 * linked account, as "Sign out of <primary>" does. A group's session moves on to a new generation, acting as before
 * or, where `userId` acted, as the primary (or that heir): the browser's cookie takes it on at its next page load,
 * as after a lost answer, and no cookie anywhere acts as `userId` again. Returns how many sessions it left.
 */
export async function revokeAccount(
  em: EntityManager,
  userId: UserId,
  { userEntity, except, only }: RevokeAccountOptions = {},
): Promise<number> {
  const pair = pairOf(em, userEntity);
  const sessions = (await sessionsWithTokens(em, pair, userId)).filter(
    session => session.id !== except && (only === undefined || session.id === only),
  );
  return leaveSessions(em, pair, sessions, String(userId));
}

/**
 * Keeps `userId` on its `max` most recently used browser sessions: it leaves the others (see `revokeAccount`),
 * never `keep` (the session it just signed in on).
 */
export async function keepNewestSessions(
  em: EntityManager,
  userId: UserId,
  max: number,
  { userEntity, keep }: AccountSessionsOptions & { keep: string },
): Promise<number> {
  const pair = pairOf(em, userEntity);
  const sessions = await sessionsWithTokens(em, pair, userId, keep);
  const excess = sessions.filter(session => !session.current).slice(Math.max(0, max - 1));
  return leaveSessions(em, pair, excess, String(userId));
}

/** `userId` leaves each of `sessions`, one transaction each; how many it left. */
async function leaveSessions(em: EntityManager, pair: MultiAccountPair, sessions: { token: string }[], userId: string) {
  let left = 0;
  for (const { token } of sessions) if (await leaveSession(em.fork(), pair, token, userId)) left++;
  return left;
}

class MovedOnMeanwhile extends Error {}

/** `userId` leaves one browser session, in one transaction; tried again when a request moved it on meanwhile. */
async function leaveSession(em: EntityManager, pair: MultiAccountPair, token: string, userId: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await em.transactional(tx => leaveOnce(tx, pair, token, userId));
    } catch (error) {
      if (!(error instanceof MovedOnMeanwhile) || attempt >= 5) throw error;
    }
  }
}

async function leaveOnce(em: EntityManager, pair: MultiAccountPair, token: string, userId: string): Promise<boolean> {
  const record = await em.findOne(
    MultiAccountSession,
    { id: token, expiresAt: { $gt: new Date() } },
    { disableIdentityMap: true },
  );
  await em.nativeDelete(MultiAccountSessionAccount, { session: token, userId });
  if (!record) return false;
  const records = new BrowserSessions(em, pair.user.options.linkTtl);
  const state = { token, generation: record.generation };
  const { actingId, primaryId } = record;
  const links = new LinkedAccountActions(em, pair);
  let next: { acting: string; primary: string } | undefined;
  if (primaryId === null) {
    if (actingId !== userId) return false;
  } else if (primaryId === userId) {
    const heir = (await links.groupWithUsers(userIdOf(pair, primaryId)!, token)).find(
      member => String(member.link.linkedUserId) !== userId && passesActiveCheck(pair, member.user),
    );
    if (heir) {
      const heirId = String(heir.link.linkedUserId);
      await links.transferGroup(userIdOf(pair, primaryId)!, heirId, token);
      next = { acting: actingId === userId || actingId === null ? heirId : actingId, primary: heirId };
    }
  } else {
    await em.nativeDelete(pair.link.meta.class, {
      [pair.link.options.primaryUserRelationshipName]: userIdOf(pair, primaryId),
      [pair.link.options.linkedUserRelationshipName]: userIdOf(pair, userId),
      [pair.link.options.sessionTokenAttributeName]: token,
    });
    // Always a new generation: on PostgreSQL a switch settled after the loader's statement leaves the record naming
    // the account acting before it, so the record cannot tell whether `userId` acts now; no cookie of before acts.
    next = { acting: actingId === userId || actingId === null ? primaryId : actingId, primary: primaryId };
  }
  if (!next) {
    if (!(await records.end(state))) throw new MovedOnMeanwhile();
    if (primaryId !== null) await links.destroyGroup(userIdOf(pair, primaryId)!, token);
    return true;
  }
  if (!(await records.advance(state, next))) throw new MovedOnMeanwhile();
  return true;
}

/** The pair of `userEntity`, or of the ORM's only @MultiAccount entity. */
function pairOf(em: EntityManager, userEntity: EntityDefinition | undefined): MultiAccountPair {
  if (userEntity) return multiAccountPair(em, userEntity);
  const users = [...em.getMetadata()].filter(meta => multiAccountOptionsOf(meta.class));
  if (users.length !== 1) {
    throw new TypeError(
      `mikro-multi-account: ${users.length === 0 ? 'no' : 'more than one'} @MultiAccount entity is known to this ` +
        'ORM; pass `{ userEntity }`.',
    );
  }
  return multiAccountPair(em, users[0]!.class);
}
