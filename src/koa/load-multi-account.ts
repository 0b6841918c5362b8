import type { EntityManager } from '@mikro-orm/core';
import type { Context, Middleware } from 'koa';
import { passesActiveCheck } from '../actions/active-check.ts';
import { needsTouch } from '../actions/expiry.ts';
import { isUuid, userIdOf, type UserId } from '../actions/arguments.ts';
import { displayFieldPopulate } from '../actions/display-fields.ts';
import { LinkedAccountActions, type GroupLink } from '../actions/linked-account-actions.ts';
import { multiAccountPair, type MultiAccountPair } from '../actions/multi-account-pair.ts';
import { selectedAccountIndex } from './account-selector.ts';
import { actAs } from './act-as.ts';
import { databaseFaultsAs503 } from './database-faults.ts';
import { fireHook } from './hooks.ts';
import { putFlash } from './messages.ts';
import { resolveKoaOptions, type MultiAccountKoaOptions, type ResolvedKoaOptions } from './options.ts';
import { requestEntityManager } from './request-entity-manager.ts';
import { clearMultiAccount, getUserId, sessionOf } from './session.ts';

/** What `loadMultiAccount` puts on `ctx.state`. */
export interface MultiAccountState<User extends object = object> {
  /** The account acting now, or null when nobody is signed in. */
  currentUser: User | null;
  /** The account that started the multi-account session; null in standard (single-account) mode. */
  primaryUser: User | null;
  /** Set when the account that was acting could not go on (deactivated or deleted) and another took over. */
  multiAccountFallback?: AccountFallback;
  multiAccount: LoadedAccounts<User>;
}

export interface AccountFallback {
  reason: 'inactive' | 'deleted';
  from: string;
  to: string;
}

export interface LoadedAccounts<User extends object = object> {
  options: ResolvedKoaOptions<User>;
  pair: MultiAccountPair;
  em: EntityManager;
  currentUser: User | null;
  primaryUser: User | null;
  /** The multi-account session's token, when there is one. */
  sessionToken?: string;
  /** The group index this request acts as, when chosen per tab (`/u/:index/…` or the selector header). */
  selectedIndex?: number;
  fallback?: AccountFallback;
  /** Who belongs to the group, loaded on demand by `groupMembership`. */
  membership?: GroupMembership;
  /** The group's users, loaded on demand by `groupMembers`. */
  members?: User[];
}

export interface GroupMembership {
  /** The session's link group as ids: the primary first, then each active linked account, oldest link first. */
  memberIds: string[];
  /** The group's links as rows, in the order of `memberIds.slice(1)`. */
  links: GroupLink[];
  /** Whether the acting account belongs to the group (it may be signed in without being linked yet). */
  currentInGroup: boolean;
}

/**
 * Middleware that sets `ctx.state.currentUser` and `ctx.state.primaryUser`, with display fields loaded, in one
 * SQL statement whatever the number of links. Who else belongs to the group is loaded only when something
 * needs it (the switcher, a switch, the JSON endpoint): two more statements, still independent of their number.
 */
export function loadMultiAccount<User extends object>(options: MultiAccountKoaOptions<User>): Middleware {
  const resolved = resolveKoaOptions(options);
  const faultsAs503 = databaseFaultsAs503();
  return async (ctx, next) => {
    const selected = selectedAccountIndex(ctx, resolved);
    await faultsAs503(ctx, async () => {
      const loaded = await loadAccounts(ctx, resolved);
      if (selected !== undefined) await selectAccount(ctx, loaded, selected);
    });
    await next();
  };
}

/** Loads (once per request) who is acting and the session's link group, and records it on `ctx.state`. */
export async function loadAccounts<User extends object>(ctx: Context, options: ResolvedKoaOptions<User>): Promise<LoadedAccounts<User>> {
  const previous = ctx.state.multiAccount as LoadedAccounts<User> | undefined;
  // Routes after the loader middleware reuse its work: one load per request.
  if (previous && previous.options.userEntity === options.userEntity) return previous;
  const em = requestEntityManager(ctx, options.em);
  const pair = multiAccountPair(em, options.userEntity);
  const loaded: LoadedAccounts<User> = { options, pair, em, currentUser: null, primaryUser: null };
  const currentId = userIdOf(pair, getUserId(ctx, options.sessionKeys));
  if (currentId !== undefined) await loadSession(ctx, loaded, currentId);
  ctx.state.multiAccount = loaded;
  ctx.state.currentUser = loaded.currentUser;
  ctx.state.primaryUser = loaded.primaryUser;
  if (loaded.fallback) ctx.state.multiAccountFallback = loaded.fallback;
  return loaded;
}

async function loadSession<User extends object>(ctx: Context, loaded: LoadedAccounts<User>, currentId: UserId): Promise<void> {
  const { options, pair, em } = loaded;
  const session = sessionOf(ctx);
  const token = session[options.sessionKeys.sessionToken];
  const storedPrimary = session[options.sessionKeys.primaryUserId];
  const primaryId = storedPrimary === undefined ? undefined : userIdOf(pair, storedPrimary);
  const multi = primaryId !== undefined && isUuid(token);
  if (!multi && storedPrimary !== undefined) clearMultiAccount(ctx, options.sessionKeys);

  const users = await findUsers<User>(em, pair, multi ? [primaryId, currentId] : [currentId]);
  const current = users.get(String(currentId));
  const primary = multi ? users.get(String(primaryId)) : undefined;
  if (multi) loaded.sessionToken = token;
  if (primary && passesActiveCheck(pair, primary)) {
    loaded.primaryUser = primary;
    await keepGroupAlive(ctx, loaded);
  }
  if (current && passesActiveCheck(pair, current)) loaded.currentUser = current;
  if (!loaded.currentUser) {
    // Whom to fall back to: the group, even when its primary is gone or inactive (then only its linked accounts).
    const links = multi ? await new LinkedAccountActions(em, pair).groupLinks(primaryId, token) : [];
    const candidates = [...(loaded.primaryUser ? [String(primaryId)] : []), ...links.map(link => String(link.linkedUserId))];
    await fallBack(ctx, loaded, candidates, { reason: current ? 'inactive' : 'deleted', from: String(currentId) }, users);
  }
  if (multi && !loaded.primaryUser) {
    clearMultiAccount(ctx, options.sessionKeys);
    loaded.sessionToken = undefined;
  }
}

/**
 * The acting account was deactivated or deleted: the next account of the group (the primary first) takes
 * over, with a new session id, and the app is told why. With nobody left, nobody stays signed in.
 */
async function fallBack<User extends object>(
  ctx: Context,
  loaded: LoadedAccounts<User>,
  candidates: string[],
  why: Omit<AccountFallback, 'to'>,
  loadedUsers: Map<string, User>,
): Promise<void> {
  const { options, pair, em } = loaded;
  const to = candidates.find(id => id !== why.from);
  const next = to === undefined ? undefined : (loadedUsers.get(to) ?? (await findUsers<User>(em, pair, [to])).get(to));
  if (to === undefined || !next) {
    delete sessionOf(ctx)[options.sessionKeys.user];
    clearMultiAccount(ctx, options.sessionKeys);
    Object.assign(loaded, { primaryUser: null, sessionToken: undefined });
    return;
  }
  await actAs(ctx, to, options.sessionKeys);
  Object.assign(loaded, { currentUser: next, fallback: { ...why, to } });
  putFlash(ctx, why.reason === 'inactive' ? 'FALLBACK_INACTIVE' : 'FALLBACK_DELETED', options.sessionKeys);
  await fireHook(options.onSwitch, { ctx, who: why.from, whom: to, reason: 'fallback' });
}

/**
 * Any request of a multi-account session counts as use of its group: at most once an hour per session (the
 * session remembers when) its links are refreshed so they do not expire, in one extra statement.
 */
async function keepGroupAlive<User extends object>(ctx: Context, { options, pair, em, primaryUser, sessionToken }: LoadedAccounts<User>): Promise<void> {
  const session = sessionOf(ctx);
  if (!needsTouch(pair, new Date(Number(session[options.sessionKeys.touchedAt])))) return;
  await new LinkedAccountActions(em, pair).touchGroup(primaryUser!, sessionToken!);
  session[options.sessionKeys.touchedAt] = Date.now();
}

/** Who belongs to this session's group: one statement, once per request. */
export async function groupMembership(ctx: Context): Promise<GroupMembership> {
  const loaded = loadedAccountsOf(ctx);
  if (loaded.membership) return loaded.membership;
  const { pair, em, primaryUser, currentUser, sessionToken } = loaded;
  if (!primaryUser || !sessionToken) return (loaded.membership = { memberIds: [], links: [], currentInGroup: false });
  const primaryId = String(userIdOf(pair, primaryUser));
  const links = await new LinkedAccountActions(em, pair).groupLinks(primaryUser, sessionToken);
  const memberIds = [primaryId, ...links.map(link => String(link.linkedUserId))];
  const currentInGroup = currentUser !== null && memberIds.includes(String(userIdOf(pair, currentUser)));
  return (loaded.membership = { memberIds, links, currentInGroup });
}

/** Per-tab selection: this request acts as account `index` of the group, if the acting account belongs to it. */
async function selectAccount<User extends object>(ctx: Context, loaded: LoadedAccounts<User>, index: number): Promise<void> {
  const { currentInGroup, memberIds } = await groupMembership(ctx);
  const id = currentInGroup ? memberIds[index] : undefined;
  const member = id === undefined ? undefined : (await groupMembers<User>(ctx))[index];
  if (!member) ctx.throw(404, 'No account with this index in this browser session.');
  Object.assign(loaded, { currentUser: member, selectedIndex: index });
  ctx.state.currentUser = member;
}

/** The group's users in switcher order (primary first), loaded in one statement the first time a request asks. */
export async function groupMembers<User extends object>(ctx: Context): Promise<User[]> {
  const loaded = loadedAccountsOf<User>(ctx);
  if (!loaded.members) {
    const { memberIds } = await groupMembership(ctx);
    const users = await findUsers<User>(loaded.em, loaded.pair, memberIds);
    loaded.members = memberIds.map(id => users.get(id)).filter((user): user is User => user !== undefined);
  }
  return loaded.members;
}

function loadedAccountsOf<User extends object>(ctx: Context): LoadedAccounts<User> {
  const loaded = ctx.state.multiAccount as LoadedAccounts<User> | undefined;
  if (!loaded) throw new Error('mikro-multi-account: the loadMultiAccount middleware must run earlier in the request.');
  return loaded;
}

/** Users by id (as strings), with display fields, in one statement. */
async function findUsers<User extends object>(em: EntityManager, pair: MultiAccountPair, ids: UserId[] | string[]): Promise<Map<string, User>> {
  const unique = [...new Set(ids.map(String))].map(id => userIdOf(pair, id)).filter((id): id is UserId => id !== undefined);
  if (unique.length === 0) return new Map();
  const users = (await em.find(pair.user.meta.class, { [pair.user.primaryKey]: { $in: unique } } as never, {
    populate: displayFieldPopulate(pair) as never,
  })) as User[];
  return new Map(users.map(user => [String(userIdOf(pair, user)), user]));
}
