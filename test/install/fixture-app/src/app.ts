import { RequestContext, type MikroORM } from '@mikro-orm/core';
import Koa from 'koa';
import session from 'koa-session';
import { User } from './entities/user.js';

async function readJson(ctx: Koa.Context): Promise<Record<string, string>> {
  let text = '';
  for await (const chunk of ctx.req) text += chunk;
  return text ? JSON.parse(text) : {};
}

export function createApp(orm: MikroORM): Koa {
  const app = new Koa();
  app.keys = ['fresh-app-secret'];
  app.use(session(app));
  app.use((_ctx, next) => RequestContext.create(orm.em, next));
  app.use(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === '/login') {
      const { email, password } = await readJson(ctx);
      const user = await orm.em.findOne(User, { email });
      if (!user || user.password !== password) {
        ctx.status = 401;
        return;
      }
      ctx.session!.userId = user.id;
      ctx.body = { signedIn: user.email };
      return;
    }
    if (ctx.method === 'POST' && ctx.path === '/logout') {
      ctx.session = null;
      ctx.status = 204;
      return;
    }
    if (ctx.method === 'GET' && ctx.path === '/me') {
      ctx.body = { userId: ctx.session?.userId ?? null };
      return;
    }
    await next();
  });
  return app;
}
