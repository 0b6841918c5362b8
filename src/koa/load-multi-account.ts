import type { EntityManager } from '@mikro-orm/core';
import type { Context, Middleware } from 'koa';
import { passesActiveCheck } from '../actions/active-check.ts';
import { isUuid, sameUserId, userIdOf, type UserId } from '../actions/arguments.ts';
import { displayFieldPopulate } from '../actions/display-fields.ts';
import { LinkedAccountActions } from '../actions/linked-account-actions.ts';
import { multiAccountPair, type MultiAccountPair } from '../actions/multi-account-pair.ts';
import { UserCalculations } from '../actions/user-calculations.ts';
import { actAs } from './act-as.ts';
import { databaseFaultsAs503 } from './database-faults.ts';
import { fireHook } from './hooks.ts';
import { putFlash } from './messages.ts';
import { resolveKoaOptions, type MultiAccountKoaOptions, type ResolvedKoaOptions } from './options.ts';
import { requestEntityManager } from './request-entity-manager.ts';
import { selectedAccountIndex } from './account-selector.ts';
import { clearMultiAccount, getUserId, sessionOf } from './session.ts';

/** What `loadMultiAccount` puts on `ctx.state`. */
export interface MultiAccountState<User extends object = object, Link extends object = object> {
  /** The account acting now, or null when nobody is signed in. */
  currentUser: User | null;
  /** The account that started the multi-account session; null in standard (single-account) mode. */
  primaryUser: User | null;
  /** Set when the account that was acting could not go on (deactivated or deleted) and another took over. */
  multiAccountFallback?: AccountFallback;
  multiAccount: LoadedAccounts<User, Link>;
}

export interface AccountFallback {
  reason: 'inactive' | 'deleted';
  from: string;
  to: string;
}

export interface LoadedAccounts<User extends object = object, Link extends object = object> {
  options: ResolvedKoaOptions<User>;
  pair: MultiAccountPair;
  em: EntityManager;
  currentUser: User | null;
  primaryUser: User | null;
  /** The session's link group: the primary first, then each active linked account (empty in standard mode). */
  group: User[];
  links: Link[];
  /** The group index this request acts as, when chosen per tab (`/u/:index/…` or the selector header). */
  selectedIndex?: number;
  fallback?: AccountFallback;
}

/**
 * Middleware that sets `ctx.state.currentUser` and `ctx.state.primaryUser`, with display fields loaded, in at
 * most three SQL statements whatever the number of links.
 */
export function loadMultiAccount<User extends object>(options: MultiAccountKoaOptions<User>): Middleware {
  const resolved = resolveKoaOptions(options);
  const faultsAs503 = databaseFaultsAs503();
  return async (ctx, next) => {
    const selected = selectedAccountIndex(ctx, resolved);
    let loaded!: LoadedAccounts<User>;
    await faultsAs503(ctx, async () => {
      loaded = await loadAccounts(ctx, resolved);
    });
    if (selected !== undefined) {
      const member = loaded.group.includes(loaded.currentUser as User) ? loaded.group[selected] : undefined;
      if (!member) ctx.throw(404, 'No account with this index in this browser session.');
      Object.assign(loaded, { currentUser: member, selectedIndex: selected });
      ctx.state.currentUser = member;
    }
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
  const loaded: LoadedAccounts<User> = { options, pair, em, currentUser: null, primaryUser: null, group: [], links: [] };
  const currentId = userIdOf(pair, getUserId(ctx, options.sessionKeys));
  if (currentId !== undefined) {
    const candidates = await loadGroup(ctx, loaded);
    loaded.currentUser = loaded.group.find(user => sameUserId(userIdOf(pair, user), currentId)) ?? null;
    if (!loaded.currentUser) {
      const found = await findUser<User>(em, pair, currentId);
      if (found && passesActiveCheck(pair, found)) loaded.currentUser = found;
      else await fallBack(ctx, loaded, candidates, { reason: found ? 'inactive' : 'deleted', from: String(currentId) });
    }
  }
  ctx.state.multiAccount = loaded;
  ctx.state.currentUser = loaded.currentUser;
  ctx.state.primaryUser = loaded.primaryUser;
  if (loaded.fallback) ctx.state.multiAccountFallback = loaded.fallback;
  return loaded;
}

/**
 * Multi-account mode: the primary with its links in two statements. A primary gone or inactive ends the mode;
 * its still-active linked accounts are returned as candidates for a fallback.
 */
async function loadGroup<User extends object>(ctx: Context, loaded: LoadedAccounts<User>): Promise<User[]> {
  const { options, pair, em } = loaded;
  const session = sessionOf(ctx);
  if (session[options.sessionKeys.primaryUserId] === undefined) return [];
  const token = session[options.sessionKeys.sessionToken];
  const primaryId = userIdOf(pair, session[options.sessionKeys.primaryUserId]);
  const primary = primaryId !== undefined && isUuid(token) ? await new UserCalculations(em, pair).getUserWithLinkedAccounts(primaryId, token) : null;
  const links = primary ? ((primary as Record<string, unknown>)[pair.user.options.linkedAccountsCalculationName] as Record<string, unknown>[]) : [];
  const linkedUsers = links.map(link => link[pair.link.options.linkedUserRelationshipName] as User);
  if (!primary || !passesActiveCheck(pair, primary)) {
    clearMultiAccount(ctx, options.sessionKeys);
    return linkedUsers;
  }
  await new LinkedAccountActions(em, pair).touchGroup(links);
  loaded.primaryUser = primary as User;
  loaded.links = links;
  loaded.group = [primary as User, ...linkedUsers];
  return loaded.group;
}

/**
 * The acting account was deactivated or deleted: the next account of the group (the primary first) takes
 * over, with a new session id, and the app is told why. With nobody left, nobody stays signed in.
 */
async function fallBack<User extends object>(
  ctx: Context,
  loaded: LoadedAccounts<User>,
  candidates: User[],
  why: Omit<AccountFallback, 'to'>,
): Promise<void> {
  const { options, pair } = loaded;
  const next = candidates.find(user => !sameUserId(userIdOf(pair, user), why.from));
  if (!next) {
    delete sessionOf(ctx)[options.sessionKeys.user];
    clearMultiAccount(ctx, options.sessionKeys);
    Object.assign(loaded, { primaryUser: null, group: [], links: [] });
    return;
  }
  const to = String(userIdOf(pair, next));
  await actAs(ctx, to, options.sessionKeys);
  loaded.currentUser = next;
  loaded.fallback = { ...why, to };
  putFlash(ctx, why.reason === 'inactive' ? 'FALLBACK_INACTIVE' : 'FALLBACK_DELETED', options.sessionKeys);
  await fireHook(options.onSwitch, { ctx, who: why.from, whom: to, reason: 'fallback' });
}

export async function findUser<User extends object>(em: EntityManager, pair: MultiAccountPair, id: UserId): Promise<User | null> {
  return (await em.findOne(pair.user.meta.class, { [pair.user.primaryKey]: id } as never, {
    populate: displayFieldPopulate(pair) as never,
  })) as User | null;
}
