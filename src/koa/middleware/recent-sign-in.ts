import type { Middleware } from 'koa';
import { httpMessages } from '../../errors/http-messages.ts';
import { throughTab } from './account-selector.ts';
import { accountsOf } from '../session/request-accounts.ts';

/**
 * Guards an app's route as GitHub's sudo mode does: the acting account (a `/u/N/` tab's) must have signed in on this
 * browser within `maxAge` ms. Otherwise a page load goes to sign in again as that account and comes back; any other
 * request is refused (403, with `signInAgainUrl`), changing nothing. Nobody signed in: 401. Mount it after the loader.
 */
export function requireRecentSignIn(maxAge: number): Middleware {
  if (!(typeof maxAge === 'number' && Number.isFinite(maxAge) && maxAge > 0)) {
    throw new TypeError(`requireRecentSignIn: maxAge must be a positive number of milliseconds, got ${maxAge}.`);
  }
  return async (ctx, next) => {
    const accounts = accountsOf(ctx);
    const id = accounts.idOf(accounts.currentUser);
    if (id === undefined) return ctx.throw(401, httpMessages.NOT_SIGNED_IN);
    const signedInAt = (await accounts.signedInAt([id])).get(id);
    if (signedInAt && Date.now() - signedInAt.getTime() <= maxAge) return next();
    const url = throughTab(
      accounts.options,
      accounts.selectedIndex,
      accounts.options.urls.signInAgain(id, ctx.originalUrl),
    );
    ctx.set('cache-control', 'no-store');
    if (ctx.method === 'GET' || ctx.method === 'HEAD') return ctx.redirect(url);
    ctx.status = 403;
    ctx.body = { error: httpMessages.SIGN_IN_AGAIN, signInAgainUrl: url };
  };
}
