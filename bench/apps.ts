import type { Server } from 'node:http';
import { RequestContext, type MikroORM } from '@mikro-orm/core';
import Koa from 'koa';
import session from 'koa-session';
import { loadMultiAccount, multiAccountRoutes } from '../src/koa/index.ts';
import { BenchUser } from './entities.ts';

const sessionOf = (ctx: Koa.Context) => (ctx as Koa.Context & { session: Record<string, unknown> }).session;

export type AppKind = 'baseline' | 'multi-account';

/**
 * The two apps compared: a plain Koa + koa-session app whose middleware loads the signed-in user by id (what an
 * app without this library does), and the same app with `loadMultiAccount` and the library's routes. A
 * bench-only route writes the session each scenario starts from.
 */
export async function startBenchApp(orm: MikroORM, kind: AppKind): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Koa();
  app.keys = ['bench-signing-key'];
  app.use(session({ key: 'bench.sid' }, app));
  app.use((_ctx, next) => RequestContext.create(orm.em, next));
  app.use(async (ctx, next) => {
    if (ctx.path !== '/bench/session') return next();
    const { user, primary, token } = ctx.query as Record<string, string>;
    // As a browser's session looks after it signed in (its record created by the bench): the group just kept alive.
    Object.assign(sessionOf(ctx), {
      user: `user?id=${user}`,
      session_token: token,
      multi_account_session: { generation: 1, acting: user },
      multi_account_touched_at: Date.now(),
      ...(primary ? { primary_user_id: primary } : {}),
    });
    ctx.body = 'ok';
  });
  if (kind === 'baseline') {
    app.use(async (ctx, next) => {
      const id = /^user\?id=(\d+)$/.exec(String(sessionOf(ctx).user))?.[1];
      ctx.state.currentUser = id ? await orm.em.findOne(BenchUser, Number(id)) : null;
      await next();
    });
  } else {
    const options = { userEntity: BenchUser };
    const routes = multiAccountRoutes(options);
    app.use(loadMultiAccount(options));
    app.use(routes.routes());
  }
  app.use(ctx => {
    const user = ctx.state.currentUser as BenchUser | null;
    ctx.body = { signedIn: user?.name ?? null };
  });
  const server = await new Promise<Server>(resolve => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}
