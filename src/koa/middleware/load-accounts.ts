import type { EntityManager } from '@mikro-orm/core';
import type { Context, Middleware } from 'koa';
import type { BrowserSessionState } from '../../actions/browser-sessions.ts';
import type { GroupLink } from '../../actions/group-query.ts';
import { multiAccountPair, type MultiAccountPair } from '../../actions/multi-account-pair.ts';
import { selectedAccountIndex } from './account-selector.ts';
import { endBrowserSession, signInAs } from '../session/browser-session.ts';
import type { IdentityEvents } from '../session/identity.ts';
import { databaseFaultsAs503 } from './database-faults.ts';
import { selectAccount, type MemberView } from '../session/group-membership.ts';
import { identifyRequest } from '../session/identify-request.ts';
import { resolveKoaOptions, type MultiAccountKoaOptions, type ResolvedKoaOptions } from '../options.ts';
import { requestEntityManager } from '../session/request-entity-manager.ts';
import { requestsGroup } from '../session/requested-accounts.ts';

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
  /** The multi-account session's token (its link group), when there is one. */
  sessionToken?: string;
  /** The signed-in browser session this request's cookie carries, checked current against the server. */
  browserSession?: BrowserSessionState;
  /** The cookie carries a browser session the server no longer honours: the request acts as nobody. */
  revoked?: boolean;
  /** The group index this request acts as, when chosen per tab (`/u/:index/…` or the selector header). */
  selectedIndex?: number;
  fallback?: AccountFallback;
  /** Who belongs to the group, loaded on demand by `groupMembership`. */
  membership?: GroupMembership;
  /** The group's members, loaded on demand by `groupMembership`; each entity is made when first read. */
  memberViews?: MemberView<User>[];
  /** The account a switch request names, loaded with the others (see `requestedSwitchTarget`), if it exists. */
  switchTarget?: User;
  /**
   * Set when the loader's statement also ran the switch's compare-and-set (PostgreSQL, a valid CSRF token at
   * hand): from whom, to whom, and the generation it moved the session on to (undefined: it did not).
   */
  switchMove?: { from: string; to: string; next?: BrowserSessionState };
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
 * SQL statement whatever the number of links — the check that this cookie is still its browser session's
 * current one rides along in that statement. Who else belongs to the group is loaded only when something
 * needs it: in that same statement when the URL tells (the JSON endpoint, per-tab selection), else by one more
 * when the switcher asks.
 */
export function loadMultiAccount<User extends object>(options: MultiAccountKoaOptions<User>): Middleware {
  const resolved = resolveKoaOptions(options);
  const faultsAs503 = databaseFaultsAs503();
  return async function loadMultiAccount(ctx, next) {
    resolved.identity.attach?.(ctx, identityEvents(ctx));
    const selected = selectedAccountIndex(ctx, resolved);
    await faultsAs503(ctx, async () => {
      // Acting per tab needs the group: the loader's statement loads it.
      const loaded = await loadAccounts(ctx, resolved, { group: selected !== undefined });
      if (selected !== undefined) await selectAccount(ctx, loaded, selected);
    });
    await next();
  };
}

/**
 * Loads (once per request) who is acting and the session's link group, and records it on `ctx.state`. With
 * `group` (or when the URL asks for the group) the group's links and users come in the same statement.
 */
export async function loadAccounts<User extends object>(
  ctx: Context,
  options: ResolvedKoaOptions<User>,
  want: { group?: boolean } = {},
): Promise<LoadedAccounts<User>> {
  const previous = ctx.state.multiAccount as LoadedAccounts<User> | undefined;
  // Routes after the loader middleware reuse its work: one load per request.
  if (previous && previous.options.userEntity === options.userEntity) return previous;
  const em = requestEntityManager(ctx, options.em);
  const loaded: LoadedAccounts<User> = {
    options,
    pair: multiAccountPair(em, options.userEntity),
    em,
    currentUser: null,
    primaryUser: null,
  };
  ctx.state.multiAccount = loaded;
  await identifyRequest(ctx, loaded, want.group === true || requestsGroup(ctx, options));
  ctx.state.currentUser = loaded.currentUser;
  ctx.state.primaryUser = loaded.primaryUser;
  if (loaded.fallback) ctx.state.multiAccountFallback = loaded.fallback;
  options.identity.view?.(ctx, loaded.currentUser);
  return loaded;
}

/** After a sign-in within this request: the rest of the request sees the new session. */
export async function reloadAccounts(ctx: Context): Promise<void> {
  const { options } = loadedAccountsOf(ctx);
  ctx.state.multiAccount = undefined;
  await loadAccounts(ctx, options);
}

/** Sign-ins and sign-outs the app makes its own way (passport's `ctx.login` / `ctx.logout`) take effect at once. */
function identityEvents(ctx: Context): IdentityEvents {
  return {
    async signedIn() {
      const loaded = loadedAccountsOf(ctx);
      const id = loaded.options.identity.read(ctx);
      if (id !== undefined) await signInAs(ctx, loaded, id);
      await reloadAccounts(ctx);
    },
    signedOut: () => endBrowserSession(ctx, loadedAccountsOf(ctx)),
  };
}

/** The loaded accounts of this request; the loader must have run. */
export function loadedAccountsOf<User extends object>(ctx: Context): LoadedAccounts<User> {
  const loaded = ctx.state.multiAccount as LoadedAccounts<User> | undefined;
  if (!loaded) throw new Error('mikro-multi-account: the loadMultiAccount middleware must run earlier in the request.');
  return loaded;
}
