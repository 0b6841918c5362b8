import type { EntityManager } from '@mikro-orm/core';
import type { Context, Middleware } from 'koa';
import { passesActiveCheck } from '../actions/active-check.ts';
import { isUuid, sameUserId, userIdOf, type UserId } from '../actions/arguments.ts';
import { displayFieldPopulate } from '../actions/display-fields.ts';
import { multiAccountPair, type MultiAccountPair } from '../actions/multi-account-pair.ts';
import { UserCalculations } from '../actions/user-calculations.ts';
import { resolveKoaOptions, type MultiAccountKoaOptions, type ResolvedKoaOptions } from './options.ts';
import { requestEntityManager } from './request-entity-manager.ts';
import { clearMultiAccount, getUserId, sessionOf } from './session.ts';

/** What `loadMultiAccount` puts on `ctx.state`. */
export interface MultiAccountState<User extends object = object, Link extends object = object> {
  /** The account acting now, or null when nobody is signed in. */
  currentUser: User | null;
  /** The account that started the multi-account session; null in standard (single-account) mode. */
  primaryUser: User | null;
  multiAccount: LoadedAccounts<User, Link>;
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
}

/**
 * Middleware that sets `ctx.state.currentUser` and `ctx.state.primaryUser`, with display fields loaded, in at
 * most three SQL statements whatever the number of links.
 */
export function loadMultiAccount<User extends object>(options: MultiAccountKoaOptions<User>): Middleware {
  const resolved = resolveKoaOptions(options);
  return async (ctx, next) => {
    await loadAccounts(ctx, resolved);
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
    await loadGroup(ctx, loaded);
    loaded.currentUser = loaded.group.find(user => sameUserId(userIdOf(pair, user), currentId)) ?? (await findActiveUser(em, pair, currentId));
    if (!loaded.currentUser) {
      // A deleted or deactivated account is not kept signed in.
      delete sessionOf(ctx)[options.sessionKeys.user];
      clearMultiAccount(ctx, options.sessionKeys);
      Object.assign(loaded, { primaryUser: null, group: [], links: [] });
    }
  }
  ctx.state.multiAccount = loaded;
  ctx.state.currentUser = loaded.currentUser;
  ctx.state.primaryUser = loaded.primaryUser;
  return loaded;
}

/** Multi-account mode: the primary with its links in two statements; a primary gone or inactive ends the mode. */
async function loadGroup<User extends object>(ctx: Context, loaded: LoadedAccounts<User>): Promise<void> {
  const { options, pair, em } = loaded;
  const session = sessionOf(ctx);
  const token = session[options.sessionKeys.sessionToken];
  const primaryId = userIdOf(pair, session[options.sessionKeys.primaryUserId]);
  if (session[options.sessionKeys.primaryUserId] === undefined) return;
  const primary = primaryId !== undefined && isUuid(token) ? await new UserCalculations(em, pair).getUserWithLinkedAccounts(primaryId, token) : null;
  if (!primary || !passesActiveCheck(pair, primary)) {
    clearMultiAccount(ctx, options.sessionKeys);
    return;
  }
  const links = (primary as Record<string, unknown>)[pair.user.options.linkedAccountsCalculationName] as Record<string, unknown>[];
  loaded.primaryUser = primary as User;
  loaded.links = links;
  loaded.group = [primary as User, ...links.map(link => link[pair.link.options.linkedUserRelationshipName] as User)];
}

export async function findActiveUser<User extends object>(em: EntityManager, pair: MultiAccountPair, id: UserId): Promise<User | null> {
  const user = await em.findOne(pair.user.meta.class, { [pair.user.primaryKey]: id } as never, {
    populate: displayFieldPopulate(pair) as never,
  });
  return user && passesActiveCheck(pair, user) ? (user as User) : null;
}
