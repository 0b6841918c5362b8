import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { tabSelector } from './middleware/account-selector.ts';
import { accountsLoader } from './middleware/load-accounts.ts';
import { type MultiAccountKoaOptions, resolveKoaOptions } from './options.ts';
import { accountsRouter } from './routes/router.ts';

/** The Koa side of the library, made from one set of options. */
export interface MultiAccountKoa {
  /** Sets `ctx.state.currentUser` and `ctx.state.primaryUser`: mount it after the session and MikroORM's context. */
  middleware: Middleware;
  /** The link and switch flows: `app.use(router.routes()).use(router.allowedMethods())`. */
  router: Router;
  /**
   * With `accountSelector`: the `/u/N/` prefix taken off the path (and the header read) before anything else, so
   * the app's path guards, mounted after it, see the path its routes will see. Optional: the loader does it too.
   */
  tabSelector: Middleware;
}

/**
 * The loader middleware and the routes, from one options object resolved and checked once: an unknown or
 * mistyped option is an error here, at start-up.
 */
export function multiAccountKoa<User extends object>(options: MultiAccountKoaOptions<User>): MultiAccountKoa {
  const resolved = resolveKoaOptions(options);
  return { middleware: accountsLoader(resolved), router: accountsRouter(resolved), tabSelector: tabSelector(resolved) };
}
