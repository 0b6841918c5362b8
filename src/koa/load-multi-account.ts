import type { EntityManager } from '@mikro-orm/core';
import type { Context, Middleware } from 'koa';
import { passesActiveCheck } from '../actions/active-check.ts';
import { userIdOf, type UserId } from '../actions/arguments.ts';
import type { BrowserSessionState } from '../actions/browser-sessions.ts';
import { needsTouch } from '../actions/expiry.ts';
import { findUsersById } from '../actions/find-users.ts';
import { findUsersAndGroup } from '../actions/users-and-group.ts';
import type { GroupLink } from '../actions/group-query.ts';
import { LinkedAccountActions } from '../actions/linked-account-actions.ts';
import { multiAccountPair, type MultiAccountPair } from '../actions/multi-account-pair.ts';
import { selectedAccountIndex } from './account-selector.ts';
import { browserSessionsOf, cookieStateOf, endBrowserSession, signInAs } from './browser-session.ts';
import type { IdentityEvents } from './identity.ts';
import { databaseFaultsAs503 } from './database-faults.ts';
import { fallBack } from './fall-back.ts';
import { recordMembership, selectAccount, type MemberView } from './group-membership.ts';
import { resolveKoaOptions, type MultiAccountKoaOptions, type ResolvedKoaOptions } from './options.ts';
import { requestEntityManager } from './request-entity-manager.ts';
import { sessionOf } from './session-keys.ts';
import { requestedSwitchTarget, requestsGroup } from './requested-accounts.ts';

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
export async function loadAccounts<User extends object>(ctx: Context, options: ResolvedKoaOptions<User>, want: { group?: boolean } = {}): Promise<LoadedAccounts<User>> {
  const previous = ctx.state.multiAccount as LoadedAccounts<User> | undefined;
  // Routes after the loader middleware reuse its work: one load per request.
  if (previous && previous.options.userEntity === options.userEntity) return previous;
  const em = requestEntityManager(ctx, options.em);
  const loaded: LoadedAccounts<User> = { options, pair: multiAccountPair(em, options.userEntity), em, currentUser: null, primaryUser: null };
  ctx.state.multiAccount = loaded;
  await identify(ctx, loaded, want.group === true || requestsGroup(ctx, options));
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

async function identify<User extends object>(ctx: Context, loaded: LoadedAccounts<User>, withGroup: boolean): Promise<void> {
  const { options, pair } = loaded;
  const signedIn = options.identity.read(ctx);
  let cookie = cookieStateOf(ctx, options.sessionKeys);
  if (signedIn === undefined) {
    // The identity says nobody while the cookie says who was acting: the app signed out its own way, or it
    // refused to load a deactivated or deleted account (passport's deserializer). That account tells which.
    const actingId = cookie && userIdOf(pair, cookie.acting);
    if (actingId !== undefined) await loadSession(ctx, loaded, actingId, cookie!.state, { signedOutByApp: true });
    else if (cookie) await endBrowserSession(ctx, loaded);
    return;
  }
  const currentId = userIdOf(pair, signedIn);
  if (currentId === undefined) return; // no user could have that id: nobody, and nothing to adopt
  if (!cookie || cookie.acting !== signedIn) {
    // Signed in without `putUserId` (before the library was deployed, or by `ctx.login()`): adopt it.
    await signInAs(ctx, loaded, signedIn);
    cookie = cookieStateOf(ctx, options.sessionKeys)!;
  }
  await loadSession(ctx, loaded, currentId, cookie.state, { withGroup });
}

async function loadSession<User extends object>(
  ctx: Context,
  loaded: LoadedAccounts<User>,
  currentId: UserId,
  state: BrowserSessionState,
  { signedOutByApp = false, withGroup = false } = {},
): Promise<void> {
  const { options, pair, em } = loaded;
  const session = sessionOf(ctx);
  const storedPrimary = session[options.sessionKeys.primaryUserId];
  const primaryId = storedPrimary === undefined ? undefined : userIdOf(pair, storedPrimary);
  const sessions = browserSessionsOf(loaded);
  const requestedTarget = requestedSwitchTarget(ctx, options);
  const targetId = requestedTarget === undefined ? undefined : userIdOf(pair, requestedTarget);
  const ids = [primaryId, currentId, targetId].filter((id): id is UserId => id !== undefined);
  const condition = sessions.currentCondition(state);
  const both = withGroup && primaryId !== undefined ? await findUsersAndGroup<User>(em, pair, ids, { primaryId, sessionToken: state.token }, condition) : null;
  const users = both?.users ?? (await findUsersById<User>(em, pair, ids, condition));
  loaded.switchTarget = targetId === undefined ? undefined : users.get(String(targetId));
  const current = users.get(String(currentId));
  const primary = primaryId === undefined ? undefined : users.get(String(primaryId));
  // Rows missing: accounts deleted, or (the statement checked it) this cookie revoked. Only then ask which.
  if ((!current || (primaryId !== undefined && !primary)) && !(await sessions.isCurrent(state))) {
    loaded.revoked = true;
    return;
  }
  loaded.browserSession = state;
  if (signedOutByApp && current && passesActiveCheck(pair, current)) return endBrowserSession(ctx, loaded);
  if (primary && passesActiveCheck(pair, primary)) Object.assign(loaded, { primaryUser: primary, sessionToken: state.token });
  else if (storedPrimary !== undefined) delete session[options.sessionKeys.primaryUserId];
  if (current && passesActiveCheck(pair, current)) {
    loaded.currentUser = current;
    if (both && loaded.primaryUser) recordMembership(loaded, both.group);
  } else await fallBack(ctx, loaded, { primaryId, reason: current ? 'inactive' : 'deleted', from: String(currentId) }, users);
  await keepSessionAlive(ctx, loaded);
}

/**
 * Any request of a signed-in session counts as use: at most once an hour per session (the session remembers
 * when) its record and its group's links are refreshed so they do not expire.
 */
async function keepSessionAlive<User extends object>(ctx: Context, loaded: LoadedAccounts<User>): Promise<void> {
  const { options, pair, em, primaryUser, sessionToken, browserSession } = loaded;
  const session = sessionOf(ctx);
  if (!browserSession || !needsTouch(pair, new Date(Number(session[options.sessionKeys.touchedAt])))) return;
  await browserSessionsOf(loaded).touch(browserSession);
  if (primaryUser && sessionToken) await new LinkedAccountActions(em, pair).touchGroup(primaryUser, sessionToken);
  session[options.sessionKeys.touchedAt] = Date.now();
}
