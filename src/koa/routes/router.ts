import Router from '@koa/router';
import type { Middleware } from 'koa';
import { accountsEndpoint } from './accounts.ts';
import { StaleSessionError } from '../session/browser-session.ts';
import { requireCsrfToken } from '../middleware/csrf.ts';
import { hasCsrfSecret } from '../session/csrf-tokens.ts';
import { databaseFaultsAs503 } from '../middleware/database-faults.ts';
import { linkAccount } from './link.ts';
import { signOutOfAccount } from './sign-out.ts';
import { signOutOfAll } from './sign-out-all.ts';
import { unlinkAccount } from './unlink.ts';
import { forgetRememberedAccount } from './forget.ts';
import { listDevices, signOutDevice, signOutOtherDevices } from './devices.ts';
import { signInAgain } from './sign-in-again.ts';
import { RequestAccounts } from '../session/request-accounts.ts';
import { resolveKoaOptions, type MultiAccountKoaOptions, type ResolvedKoaOptions } from '../options.ts';
import { safeLocalPath } from '../http/safe-redirect.ts';
import { confirmSwitch, switchToAccount } from './switch.ts';
import { serveSwitcherAsset } from '../switcher/assets.ts';
import { httpMessages } from '../../errors/http-messages.ts';

/**
 * The link and switch flows as a @koa/router router mounted at `basePath` (default `/link`):
 * `app.use(router.routes()).use(router.allowedMethods())`. Every POST needs a CSRF token.
 */
export function multiAccountRoutes<User extends object>(options: MultiAccountKoaOptions<User>): Router {
  return accountsRouter(resolveKoaOptions(options));
}

/** The router for options resolved already (see `multiAccountKoa`). */
export function accountsRouter<User extends object>(resolved: ResolvedKoaOptions<User>): Router {
  const router = new Router({ prefix: resolved.basePath || undefined });
  const csrf = requireCsrfToken();
  router.use(refuseMalformedUrls, databaseFaultsAs503(), followNewerSession(resolved));
  router.get('multiAccount.link', '/p/:primaryUserId', ctx => linkAccount(ctx, resolved));
  router.post('/p/:primaryUserId', csrf, ctx => linkAccount(ctx, resolved));
  router.get('multiAccount.switchTo', '/switch_to/:userId', ctx => confirmSwitch(ctx, resolved));
  router.post('/switch_to/:userId', csrf, ctx => switchToAccount(ctx, resolved));
  router.post('/unlink/:userId', csrf, ctx => unlinkAccount(ctx, resolved));
  router.post('/sign_out', csrf, ctx => signOutOfAccount(ctx, resolved));
  router.post('/sign_out_all', csrf, ctx => signOutOfAll(ctx, resolved));
  router.post('/forget/:userId', csrf, ctx => forgetRememberedAccount(ctx, resolved));
  router.get('multiAccount.accounts', '/accounts', ctx => accountsEndpoint(ctx, resolved));
  router.get('/sign_in_again/:userId', ctx => signInAgain(ctx, resolved));
  router.post('/sign_in_again/:userId', csrf, ctx => signInAgain(ctx, resolved));
  router.get('multiAccount.devices', '/devices', ctx => listDevices(ctx, resolved));
  router.post('/devices/sign_out_others', csrf, ctx => signOutOtherDevices(ctx, resolved));
  router.post('/devices/:id/sign_out', csrf, ctx => signOutDevice(ctx, resolved));
  router.get('/switcher.css', ctx => serveSwitcherAsset(ctx, 'switcher.css'));
  router.get('/switcher/:file', ctx => serveSwitcherAsset(ctx, `switcher/${ctx.params.file}`));
  return router;
}

/**
 * A POST from a browser session that moved on while the request waited — a double click, a second tab: its
 * cookie was replaced (or, in an external store, its session is gone) — changes nothing and goes where the
 * first request went, whose message the page then shows. Never a 403 or 500 for a double click.
 */
function followNewerSession(options: ResolvedKoaOptions): Middleware {
  return async (ctx, next) => {
    try {
      if (ctx.method === 'POST' && (!hasCsrfSecret(ctx) || (await RequestAccounts.of(ctx, options)).revoked))
        throw new StaleSessionError();
      await next();
    } catch (error) {
      if (!(error instanceof StaleSessionError)) throw error;
      ctx.redirect(safeLocalPath(options.afterSwitchPath(ctx)));
      ctx.status = 303;
    }
  };
}

/** A path parameter that is not valid percent-encoding is the client's mistake: 400, not 500. */
const refuseMalformedUrls: Middleware = async (ctx, next) => {
  try {
    await next();
  } catch (error) {
    if (error instanceof URIError) ctx.throw(400, httpMessages.MALFORMED_URL);
    throw error;
  }
};
