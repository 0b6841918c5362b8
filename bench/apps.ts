import { RequestContext, type MikroORM } from '@mikro-orm/core';
import parseBody from 'co-body';
import Koa from 'koa';
import session from 'koa-session';
import {
  accountSwitcher,
  loadMultiAccount,
  multiAccountRoutes,
  putUserId,
  type redisSessionStore,
  renderAccountSwitcher,
  safeLocalPath,
  takeFlash,
} from '../src/koa/index.ts';
import { BenchUser } from './entities.ts';

/** `multi-account-page`: B whose pages show the switcher (`switcherOnEveryPage`), serving `/page` with it. */
export type AppKind = 'baseline' | 'multi-account' | 'multi-account-page';

/** A koa-session external store (Redis in the bench); without one, sessions live in the signed cookie. */
export type SessionStore = ReturnType<typeof redisSessionStore>;

type SessionContext = Koa.Context & { session: Record<string, unknown> };

/**
 * The two apps compared, both signing in through a form as a real app does. A: a plain Koa + koa-session app
 * whose middleware loads the signed-in user by id. B: the same app wired exactly as the README's Koa section
 * says (RequestContext, `loadMultiAccount`, the routes with `allowedMethods`, `putUserId` at sign-in).
 */
export function benchApp(orm: MikroORM, kind: AppKind, store?: SessionStore): Koa {
  const app = new Koa();
  app.keys = ['bench-signing-key'];
  app.use(session({ key: 'bench.sid', ...(store ? { store } : {}) }, app));
  app.use((_ctx, next) => RequestContext.create(orm.em, next));
  if (kind === 'baseline') {
    app.use(async (ctx, next) => {
      const id = (ctx as SessionContext).session.userId;
      ctx.state.currentUser = typeof id === 'number' ? await orm.em.findOne(BenchUser, id) : null;
      await next();
    });
  } else {
    const multiAccount = { userEntity: BenchUser, switcherOnEveryPage: kind === 'multi-account-page' };
    const routes = multiAccountRoutes(multiAccount);
    app.use(loadMultiAccount(multiAccount));
    app.use(routes.routes()).use(routes.allowedMethods());
  }
  app.use(async (ctx, next) => {
    if (ctx.path !== '/sign-in' || ctx.method !== 'POST') return next();
    const form = (await parseBody.form(ctx, { limit: '4kb' })) as Record<string, string | undefined>;
    const user = await orm.em.findOne(BenchUser, { email: String(form.email) });
    if (!user) return ctx.throw(401);
    if (kind === 'baseline') (ctx as SessionContext).session.userId = user.id;
    else await putUserId(ctx, user.id);
    ctx.redirect(safeLocalPath(form.return_to));
  });
  app.use(async ctx => {
    const user = ctx.state.currentUser as BenchUser | null;
    // 401 when nobody is signed in, so a revoked or lost session shows in the bench as an unexpected answer.
    if (!user) return ctx.throw(401);
    // A page shows (and so removes) the message the last redirect left, as the README's pages do.
    const flash = kind === 'baseline' ? undefined : takeFlash(ctx);
    if (ctx.path === '/page' && kind !== 'baseline') {
      // The demo's page: the default switcher in the header, then the page itself.
      const switcher = renderAccountSwitcher(await accountSwitcher(ctx));
      ctx.type = 'html';
      ctx.body = `<!doctype html><header>${switcher}</header><h1>Signed in as ${user.name}</h1>`;
      return;
    }
    ctx.body = { signedIn: user.name, ...(flash ? { flash: flash.message } : {}) };
  });
  return app;
}
