import type { Context } from 'koa';
import { browserSessionHandle } from '../../actions/account-sessions.ts';
import { findUsersById } from '../../actions/find-users.ts';
import { accountsOf } from './request-accounts.ts';

/**
 * Signs `id` in as the acting user: the one call an app's sign-in handler makes, once the credentials checked
 * out. The session id is renewed (with an external store the old one is destroyed), nothing of the old session
 * is kept but a link being added and the message for the next page, and whoever was signed in on this browser
 * before is signed out on every copy of the old cookie. `ctx.state.currentUser` is the new user afterwards.
 */
export async function putUserId(ctx: Context, id: string | number | bigint): Promise<void> {
  const accounts = accountsOf(ctx);
  const user = (await findUsersById(accounts.em, accounts.pair, [String(id)])).get(String(accounts.idOf(String(id))));
  if (!user) {
    const entity = accounts.pair.user.meta.className;
    throw new TypeError(`putUserId: there is no ${entity} with id ${JSON.stringify(String(id))}.`);
  }
  await accounts.signIn(String(id), user);
  await accounts.reload();
}

/** The acting user's id for this request, as `loadMultiAccount` checked it (a revoked cookie has none). */
export function getUserId(ctx: Context): string | undefined {
  const accounts = accountsOf(ctx);
  return accounts.idOf(accounts.currentUser);
}

/**
 * `putUserId`'s counterpart for the app's own sign-out: ends the whole browser session — its server-side
 * record is deleted, so every copy of its cookie stops acting, every key is dropped and the session id
 * renewed — so no half-set-up link survives for the next person on this browser. Messages set afterwards go
 * to a fresh session.
 */
export async function signOut(ctx: Context): Promise<void> {
  await accountsOf(ctx).end();
}

/**
 * This request's browser session as `listBrowserSessions` names it (its `id`): to keep it when an app signs an account
 * out everywhere else, as on a password change (`revokeAccount(em, id, { except: browserSessionId(ctx) })`).
 */
export function browserSessionId(ctx: Context): string | undefined {
  const state = accountsOf(ctx).browserSession;
  return state && browserSessionHandle(state.token);
}
