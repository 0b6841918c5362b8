import Router from '@koa/router';
import type { Middleware } from 'koa';
import { accountsEndpoint } from './accounts-endpoint.ts';
import { requireCsrfToken } from './csrf.ts';
import { databaseFaultsAs503 } from './database-faults.ts';
import { linkAccount } from './link-account.ts';
import { signOutOfAccount, signOutOfAll, unlinkAccount } from './leave-group.ts';
import { resolveKoaOptions, type MultiAccountKoaOptions } from './options.ts';
import { confirmSwitch, switchToAccount } from './switch-account.ts';

/**
 * The link and switch flows as a @koa/router router mounted at `basePath` (default `/link`):
 * `app.use(router.routes()).use(router.allowedMethods())`. Every POST needs a CSRF token.
 */
export function multiAccountRoutes<User extends object>(options: MultiAccountKoaOptions<User>): Router {
  const resolved = resolveKoaOptions(options);
  const router = new Router({ prefix: resolved.basePath || undefined });
  const csrf = requireCsrfToken();
  router.use(refuseMalformedUrls, databaseFaultsAs503());
  router.get('multiAccount.link', '/p/:primaryUserId', ctx => linkAccount(ctx, resolved));
  router.post('/p/:primaryUserId', csrf, ctx => linkAccount(ctx, resolved));
  router.get('multiAccount.switchTo', '/switch_to/:userId', ctx => confirmSwitch(ctx, resolved));
  router.post('/switch_to/:userId', csrf, ctx => switchToAccount(ctx, resolved));
  router.post('/unlink/:userId', csrf, ctx => unlinkAccount(ctx, resolved));
  router.post('/sign_out', csrf, ctx => signOutOfAccount(ctx, resolved));
  router.post('/sign_out_all', csrf, ctx => signOutOfAll(ctx, resolved));
  router.get('multiAccount.accounts', '/accounts', ctx => accountsEndpoint(ctx, resolved));
  return router;
}

/** A path parameter that is not valid percent-encoding is the client's mistake: 400, not 500. */
const refuseMalformedUrls: Middleware = async (ctx, next) => {
  try {
    await next();
  } catch (error) {
    if (error instanceof URIError) ctx.throw(400, 'Malformed URL.');
    throw error;
  }
};
