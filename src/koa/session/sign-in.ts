import type { Context } from 'koa';
import { userIdOf } from '../../actions/arguments.ts';
import { findUsersById } from '../../actions/find-users.ts';
import { endBrowserSession, signInAs } from './browser-session.ts';
import { loadedAccountsOf, reloadAccounts } from '../middleware/load-accounts.ts';

/**
 * Signs `id` in as the acting user: the one call an app's sign-in handler makes, once the credentials checked
 * out. The session id is renewed (with an external store the old one is destroyed), nothing of the old session
 * is kept but a link being added and the message for the next page, and whoever was signed in on this browser
 * before is signed out on every copy of the old cookie. `ctx.state.currentUser` is the new user afterwards.
 */
export async function putUserId(ctx: Context, id: string | number | bigint): Promise<void> {
  const loaded = loadedAccountsOf(ctx);
  const user = (await findUsersById(loaded.em, loaded.pair, [String(id)])).get(
    String(userIdOf(loaded.pair, String(id))),
  );
  if (!user)
    throw new TypeError(
      `putUserId: there is no ${loaded.pair.user.meta.className} with id ${JSON.stringify(String(id))}.`,
    );
  await signInAs(ctx, loaded, String(id), user);
  await reloadAccounts(ctx);
}

/** The acting user's id for this request, as `loadMultiAccount` checked it (a revoked cookie has none). */
export function getUserId(ctx: Context): string | undefined {
  const { pair, currentUser } = loadedAccountsOf(ctx);
  return currentUser ? String(userIdOf(pair, currentUser)) : undefined;
}

/**
 * `putUserId`'s counterpart for the app's own sign-out: ends the whole browser session — its server-side
 * record is deleted, so every copy of its cookie stops acting, every key is dropped and the session id
 * renewed — so no half-set-up link survives for the next person on this browser. Messages set afterwards go
 * to a fresh session.
 */
export async function signOut(ctx: Context): Promise<void> {
  await endBrowserSession(ctx, loadedAccountsOf(ctx));
}
