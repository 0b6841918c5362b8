import type { Context } from 'koa';
import { accountsOf } from './request-accounts.ts';

/**
 * Whether this request is part of adding an account to this browser session — someone is signed in and a
 * primary waits for accounts to be added — and if so the link route the sign-in page must send the browser back
 * to. A login guard that sends signed-in users away from the sign-in page lets these visits through:
 *
 * @example
 * if (ctx.state.currentUser && !addAccountReturnPath(ctx)) return ctx.redirect('/');
 */
export function addAccountReturnPath(ctx: Context): string | null {
  const { options, currentUser, addingTo } = accountsOf(ctx);
  return currentUser && addingTo !== undefined ? options.urls.link(String(addingTo)) : null;
}
