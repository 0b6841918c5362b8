import type { Context } from 'koa';
import { passesActiveCheck } from '../../actions/active-check.ts';
import { userIdOf, type UserId } from '../../actions/arguments.ts';
import type { BrowserSessionState } from '../../actions/browser-sessions.ts';
import { needsTouch } from '../../actions/expiry.ts';
import { findUsersById } from '../../actions/find-users.ts';
import { LinkedAccountActions } from '../../actions/linked-account-actions.ts';
import { findUsersAndAdvance } from '../../actions/users-and-advance.ts';
import { findUsersAndGroup } from '../../actions/users-and-group.ts';
import { browserSessionsOf, cookieStateOf, endBrowserSession, keepActingAt, signInAs } from './browser-session.ts';
import { carriesCsrfToken } from '../middleware/csrf.ts';
import { fallBack } from './fall-back.ts';
import { recordMembership } from './group-membership.ts';
import type { LoadedAccounts } from '../middleware/load-accounts.ts';
import { requestedSwitchTarget } from './requested-accounts.ts';
import { sessionOf } from './session-keys.ts';

/**
 * Who this request acts as: the identity's signed-in user, checked against the cookie and its browser
 * session's record in the loader's one statement (with the primary, the account a switch names — on
 * PostgreSQL with that switch's compare-and-set — and, when `withGroup`, the group); a revoked cookie acts as
 * nobody, an account gone hands over (see `fallBack`).
 * Fills `loaded`.
 */
export async function identifyRequest<User extends object>(
  ctx: Context,
  loaded: LoadedAccounts<User>,
  withGroup: boolean,
): Promise<void> {
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
  // A switch with its CSRF token at hand: its compare-and-set (membership checked in it) rides along, and the
  // route only settles it. Nobody acts as the target until the route has checked everything else.
  const switchMove =
    targetId !== undefined &&
    primaryId !== undefined &&
    !withGroup &&
    String(targetId) !== String(currentId) &&
    carriesCsrfToken(ctx)
      ? sessions.advanceStatement(
          state,
          new LinkedAccountActions(em, pair).membersCondition(primaryId, state.token, [currentId, targetId]),
        )
      : undefined;
  const moved = switchMove ? await findUsersAndAdvance<User>(em, pair, ids, condition, switchMove) : null;
  const both =
    !moved && withGroup && primaryId !== undefined
      ? await findUsersAndGroup<User>(em, pair, ids, { primaryId, sessionToken: state.token }, condition)
      : null;
  const users = moved?.users ?? both?.users ?? (await findUsersById<User>(em, pair, ids, condition));
  loaded.switchTarget = targetId === undefined ? undefined : users.get(String(targetId));
  if (moved)
    loaded.switchMove = {
      from: String(currentId),
      to: String(targetId),
      ...(moved.advanced ? { next: switchMove!.next } : {}),
    };
  const current = users.get(String(currentId));
  const primary = primaryId === undefined ? undefined : users.get(String(primaryId));
  // Rows missing: accounts deleted, or (the statement checked it) this cookie revoked. Only then ask which.
  if ((!current || (primaryId !== undefined && !primary)) && !(await sessions.isCurrent(state))) {
    loaded.revoked = true;
    return;
  }
  loaded.browserSession = state;
  if (loaded.switchMove?.next) keepActingAt(ctx, loaded, loaded.switchMove.next);
  if (signedOutByApp && current && passesActiveCheck(pair, current)) return endBrowserSession(ctx, loaded);
  if (primary && passesActiveCheck(pair, primary))
    Object.assign(loaded, { primaryUser: primary, sessionToken: state.token });
  else if (storedPrimary !== undefined) delete session[options.sessionKeys.primaryUserId];
  if (current && passesActiveCheck(pair, current)) {
    loaded.currentUser = current;
    if (both && loaded.primaryUser) recordMembership(loaded, both.group);
  } else
    await fallBack(
      ctx,
      loaded,
      { primaryId, reason: current ? 'inactive' : 'deleted', from: String(currentId) },
      users,
    );
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
