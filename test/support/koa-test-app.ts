import type { Server } from 'node:http';
import { helper, RequestContext, Utils, type MikroORM } from '@mikro-orm/core';
import parseBody from 'co-body';
import Koa, { type Middleware } from 'koa';
import session from 'koa-session';
import {
  accountSwitcher,
  addAccountReturnPath,
  multiAccountKoa,
  putUserId,
  safeLocalPath,
  signOut,
  takeFlash,
  type MultiAccountKoaOptions,
} from '../../src/koa/index.ts';
import type { PairUnderTest } from './pairs-under-test.ts';

export const testPassword = 'correct horse battery staple';

/** An external koa-session store kept in memory, so tests can see which session ids exist. */
export class MemorySessionStore {
  readonly sessions = new Map<string, unknown>();
  async get(key: string) {
    return this.sessions.get(key);
  }
  async set(key: string, value: unknown) {
    this.sessions.set(key, value);
  }
  async destroy(key: string) {
    this.sessions.delete(key);
  }
}

export interface TestApp {
  app: Koa;
  server: Server;
  store?: MemorySessionStore;
  close(): Promise<void>;
}

/**
 * A small app wired the way the README tells apps to: koa-session, MikroORM's RequestContext, the session
 * token, the loader and the routes from `multiAccountKoa`; a password sign-in that calls putUserId; `GET /`
 * answers what a page would show, as JSON.
 */
export async function startTestApp(
  orm: MikroORM,
  pair: PairUnderTest,
  {
    externalStore = false,
    sessionStore,
    options = {},
    beforeRoutes = [],
    afterLoader = [],
  }: {
    externalStore?: boolean;
    /** Any other koa-session external store (Redis, say). */
    sessionStore?: {
      get(key: string): Promise<unknown>;
      set(key: string, value: unknown, maxAge: number): Promise<void>;
      destroy(key: string): Promise<void>;
    };
    options?: Partial<MultiAccountKoaOptions>;
    beforeRoutes?: Middleware[];
    /** The app's own middleware between the loader and the library's routes. */
    afterLoader?: Middleware[];
  } = {},
): Promise<TestApp> {
  const app = new Koa();
  app.keys = ['test-session-signing-key'];
  const store = externalStore ? new MemorySessionStore() : undefined;
  const multiAccount: MultiAccountKoaOptions = { userEntity: pair.userClass as never, ...options };
  const { middleware, router: routes } = multiAccountKoa(multiAccount);
  const external = sessionStore ?? store;
  app.use(session({ key: 'sid', ...(external ? { store: external } : {}) }, app));
  app.use((_ctx, next) => RequestContext.create(orm.em, next));
  beforeRoutes.forEach(middleware => app.use(middleware));
  app.use(middleware);
  afterLoader.forEach(middleware => app.use(middleware));
  app.use(routes.routes()).use(routes.allowedMethods());
  app.use(async (ctx, next) => {
    if (ctx.path === '/sign-in' && ctx.method === 'POST') {
      const body = ((ctx.request as { body?: unknown }).body ??
        (await parseBody.form(ctx, { limit: '4kb' }))) as Record<string, string | undefined>;
      const user = await orm.em.findOne(pair.userClass, { [pair.loginField]: String(body.login) } as never);
      if (!user || body.password !== testPassword) {
        ctx.status = 401;
        ctx.body = 'Wrong login or password.';
        return;
      }
      await putUserId(ctx, (user as Record<string, string>)[pair.userId]!);
      ctx.redirect(safeLocalPath(body.return_to ?? ctx.query.return_to, '/'));
      ctx.status = 303;
      return;
    }
    if (ctx.path === '/sign-out' && ctx.method === 'POST') {
      await signOut(ctx);
      ctx.redirect('/');
      return;
    }
    if (ctx.path === '/guarded-sign-in' && ctx.method === 'GET') {
      // A sign-in page behind a login guard, as the README shows it.
      if (ctx.state.currentUser && !addAccountReturnPath(ctx)) return ctx.redirect('/');
      ctx.body = { returnTo: addAccountReturnPath(ctx) };
      return;
    }
    if (ctx.path === '/' && ctx.method === 'GET') {
      const idOf = (user: unknown) => (user ? String((user as Record<string, unknown>)[pair.userId]) : null);
      const switcher = await accountSwitcher(ctx);
      ctx.body = {
        current: idOf(ctx.state.currentUser),
        primary: idOf(ctx.state.primaryUser),
        flash: takeFlash(ctx) ?? null,
        accounts: switcher.accounts.map(({ id, label, current, primary, switchUrl }) => ({
          id,
          label,
          current,
          primary,
          switchUrl,
        })),
        addAccountUrl: switcher.addAccountUrl,
        remembered: (switcher.rememberedAccounts ?? []).map(({ id, label, signInUrl, forgetUrl }) => ({
          id,
          label,
          signInUrl,
          forgetUrl,
        })),
        csrfToken: switcher.csrfToken,
      };
      return;
    }
    if (ctx.path === '/members' && ctx.method === 'GET') {
      // Which user entities the request holds before and after the switcher's accounts are read.
      const userMeta = orm.getMetadata().get(pair.userClass);
      const isUser = (entity: unknown) => Utils.isEntity(entity) && helper(entity).__meta === userMeta;
      const managed = () =>
        RequestContext.getEntityManager()!.getUnitOfWork().getIdentityMap().values().filter(isUser).length;
      const switcher = await accountSwitcher(ctx);
      const beforeReading = managed();
      const users = switcher.accounts.map(account => account.user);
      ctx.body = {
        beforeReading,
        afterReading: managed(),
        ids: users.map(user => String((user as Record<string, unknown>)[pair.userId])),
        fieldsMatch: switcher.accounts.every(account =>
          pair.displayFields.every(field => account.fields[field] === (account.user as Record<string, unknown>)[field]),
        ),
        entities: users.every(isUser),
        currentIsTheLoadedOne: users.includes(ctx.state.currentUser) && users.includes(ctx.state.primaryUser),
      };
      return;
    }
    await next();
  });
  const server = await new Promise<Server>(resolve => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return { app, server, store, close: () => new Promise(resolve => server.close(() => resolve())) };
}
