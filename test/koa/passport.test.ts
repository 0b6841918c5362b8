import type { Server } from 'node:http';
import { RequestContext, type MikroORM } from '@mikro-orm/core';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import koaPassport from 'koa-passport';
import session from 'koa-session';
import { Strategy as LocalStrategy } from 'passport-local';
import supertest from 'supertest';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { koaPassportIdentity } from '../../src/koa-passport/index.ts';
import {
  accountSwitcher,
  loadMultiAccount,
  multiAccountRoutes,
  type MultiAccountEvent,
  redisSessionStore,
} from '../../src/koa/index.ts';
import { MemorySessionStore, testPassword } from '../support/koa-test-app.ts';
import { eachDatabaseAndPair } from '../support/matrix.ts';
import type { PairUnderTest } from '../support/pairs-under-test.ts';
import { newUsers as createUsers } from '../support/users.ts';

/**
 * An app that signs in with koa-passport (passport-local, `ctx.login`, `ctx.logout`, serializeUser by id,
 * deserializeUser refusing inactive accounts) and tells the library nothing but `koaPassportIdentity(passport)`.
 * `GET /` answers what the app itself sees (`ctx.state.user`) beside what the library sees.
 */
/** A koa-session external store (the test's in-memory one, or Redis). */
interface SessionStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, maxAge: number): Promise<void>;
  destroy(key: string): Promise<void>;
}

async function startPassportApp(
  orm: MikroORM,
  pair: PairUnderTest,
  {
    withLibrary = true,
    store = new MemorySessionStore() as SessionStore | null,
    accountSelector = undefined as { pathPrefix: true } | undefined,
  } = {},
) {
  const passport = new koaPassport.KoaPassport();
  const idOf = (user: any) => String(user[pair.userId]);
  passport.use(
    new LocalStrategy({ usernameField: 'login' }, (login, password, done) => {
      orm.em
        .fork()
        .findOne(pair.userClass, { [pair.loginField]: login } as never)
        .then(user => done(null, user && password === testPassword ? user : false), done);
    }),
  );
  passport.serializeUser((user, done) => done(null, idOf(user)));
  passport.deserializeUser((id: string, done) => {
    RequestContext.getEntityManager()!
      .findOne(pair.userClass, { [pair.userId]: id } as never)
      .then(user => {
        const active = user && (pair.userId === 'id' ? (user as any).status === 'active' : (user as any).enabled);
        // An account the app no longer accepts is dropped, as passport does: inactive, or banned by the app alone.
        done(null, active && !banned.has(id) ? user : false);
      }, done);
  });
  const switchedIn: string[] = [];
  const banned = new Set<string>();
  const multiAccount = {
    userEntity: pair.userClass as never,
    accountSelector,
    identity: koaPassportIdentity(passport),
    // What the app sees in the very request that switched.
    onSwitch: ({ ctx }: MultiAccountEvent) => void switchedIn.push(idOf(ctx.state.user)),
  };
  const routes = multiAccountRoutes(multiAccount);
  const app = new Koa();
  app.keys = ['passport-test-key'];
  app.use(session({ key: 'sid', ...(store ? { store } : {}) }, app)); // null: the cookie store
  app.use(bodyParser());
  app.use((_ctx, next) => RequestContext.create(orm.em, next));
  app.use(passport.initialize());
  app.use(passport.session());
  if (withLibrary) {
    app.use(loadMultiAccount(multiAccount));
    app.use(routes.routes());
  }
  app.use(async (ctx, next) => {
    if (ctx.path === '/sign-in' && ctx.method === 'POST') {
      const returnTo = (ctx.request.body as Record<string, string>).return_to ?? '/';
      return passport.authenticate('local', async (error: unknown, user: unknown) => {
        if (error || !user) return void (ctx.status = 401);
        await ctx.login(user);
        ctx.status = 303;
        ctx.redirect(returnTo);
      })(ctx, next);
    }
    if (ctx.path === '/sign-out' && ctx.method === 'POST') {
      await ctx.logout();
      ctx.status = 303;
      return ctx.redirect('/');
    }
    if (ctx.path === '/' && ctx.method === 'GET') {
      const user = ctx.state.user;
      const library = withLibrary ? await accountSwitcher(ctx) : undefined;
      ctx.body = {
        app: user ? idOf(user) : null,
        passport: (ctx.session as any)?.passport?.user ?? null,
        current: ctx.state.currentUser ? idOf(ctx.state.currentUser) : null,
        primary: ctx.state.primaryUser ? idOf(ctx.state.primaryUser) : null,
        accounts: library?.accounts.map(account => account.id) ?? [],
        csrfToken: library?.csrfToken,
      };
      return;
    }
    await next();
  });
  const server = await new Promise<Server>(resolve => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    server,
    store,
    switchedIn,
    banned,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

const redis = inject('redis');

eachDatabaseAndPair(({ pair, db }) => {
  describe('with koa-passport', () => {
    let app: Awaited<ReturnType<typeof startPassportApp>>;
    beforeAll(async () => {
      app = await startPassportApp(db().orm, pair);
    });
    afterAll(() => app?.close());

    const idOf = (user: any) => String(user[pair.userId]);
    const linkPath = (user: any) => `/link/p/${encodeURIComponent(idOf(user))}`;

    function browser(server = app.server) {
      const agent = supertest.agent(server);
      const home = async () => (await agent.get('/').set('sec-fetch-site', 'same-origin').expect(200)).body;
      // The token first: a request takes the jar's cookies when it is made, and reading the page may renew them.
      const post = async (path: string, status = 303) => {
        const { csrfToken } = await home();
        return agent.post(path).type('form').send({ _csrf: csrfToken }).expect(status);
      };
      const signIn = (user: any, returnTo?: string) =>
        agent
          .post('/sign-in')
          .type('form')
          .send({ login: pair.loginOf(user), password: testPassword, ...(returnTo ? { return_to: returnTo } : {}) })
          .expect(303);
      const link = async (primary: any, other: any) => {
        await agent.get(linkPath(primary)).set('sec-fetch-site', 'same-origin').expect(302);
        await signIn(other, linkPath(primary));
        await post(linkPath(primary));
      };
      return { agent, home, post, signIn, link };
    }

    it('knows a user signed in with ctx.login, and passport follows every switch in the same request', async () => {
      const [alice, bob] = await createUsers(db().orm, pair, 2);
      const person = browser();
      await person.signIn(alice);
      expect(await person.home()).toMatchObject({ app: idOf(alice), current: idOf(alice), passport: idOf(alice) });
      await person.link(alice, bob);
      expect(await person.home()).toMatchObject({
        app: idOf(bob),
        current: idOf(bob),
        primary: idOf(alice),
        accounts: [idOf(alice), idOf(bob)],
      });
      const seen = app.switchedIn.length;
      await person.post(`/link/switch_to/${encodeURIComponent(idOf(alice))}`);
      expect(app.switchedIn.slice(seen)).toEqual([idOf(alice)]);
      expect(await person.home()).toMatchObject({ app: idOf(alice), current: idOf(alice), passport: idOf(alice) });
      await person.post(`/link/switch_to/${encodeURIComponent(idOf(bob))}`);
      expect(await person.home()).toMatchObject({ app: idOf(bob), current: idOf(bob), passport: idOf(bob) });
    });

    it('signs passport out of an account that signs out or is removed, handing over to the primary', async () => {
      const [alice, bob, carol] = await createUsers(db().orm, pair, 3);
      const person = browser();
      await person.signIn(alice);
      await person.link(alice, bob);
      await person.post('/link/sign_out');
      expect(await person.home()).toMatchObject({ app: idOf(alice), passport: idOf(alice), accounts: [idOf(alice)] });
      await person.link(alice, carol);
      await person.post(`/link/unlink/${encodeURIComponent(idOf(carol))}`);
      expect(await person.home()).toMatchObject({ app: idOf(alice), passport: idOf(alice), accounts: [idOf(alice)] });
    });

    it(`falls back to another account of the group when passport drops a deactivated one, \
and passport follows`, async () => {
      const [alice, bob] = await createUsers(db().orm, pair, 2);
      const person = browser();
      await person.signIn(alice);
      await person.link(alice, bob);
      const em = db().orm.em.fork();
      pair.setActive(await em.findOneOrFail(pair.userClass, idOf(bob)), false);
      await em.flush();
      expect(await person.home()).toMatchObject({ app: idOf(alice), current: idOf(alice), passport: idOf(alice) });
    });

    it(`falls back, never ends, when the app's deserializeUser refuses the acting account (a ban the \
activeCheck does not know), and lets it act neither by a switch nor in a /u/N/ tab, with the cookie store and \
Redis`, async () => {
      const redisClient = redis.skipReason ? undefined : await createClient({ url: redis.url }).connect();
      const redisStore = redisClient && redisSessionStore(redisClient, { prefix: `mma-passport:${pair.label}:` });
      for (const store of [null, ...(redisStore ? [redisStore] : [])]) {
        const tabs = await startPassportApp(db().orm, pair, { store, accountSelector: { pathPrefix: true } });
        try {
          const [alice, bob] = await createUsers(db().orm, pair, 2);
          const person = browser(tabs.server);
          await person.signIn(alice);
          await person.link(alice, bob);
          await person.agent.get('/u/1/').expect(200);
          tabs.banned.add(idOf(bob));
          expect(await person.home()).toMatchObject({
            app: idOf(alice),
            current: idOf(alice),
            passport: idOf(alice),
            accounts: [idOf(alice), idOf(bob)],
          });
          await person.agent.get('/u/1/').expect(404);
          expect((await person.agent.get('/u/0/').expect(200)).body).toMatchObject({ app: idOf(alice) });
          await person.post(`/link/switch_to/${encodeURIComponent(idOf(bob))}`);
          expect(await person.home()).toMatchObject({ app: idOf(alice), current: idOf(alice) });
        } finally {
          await tabs.close();
        }
      }
      await redisClient?.quit();
    });

    it('ends the multi-account session on ctx.logout(): nothing is switchable, no old cookie acts', async () => {
      const [alice, bob] = await createUsers(db().orm, pair, 2);
      const person = browser();
      await person.signIn(alice);
      await person.link(alice, bob);
      const before = person.agent.jar
        .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
        .map(c => `${c.name}=${c.value}`)
        .join('; ');
      await person.post('/sign-out');
      expect(await person.home()).toMatchObject({ app: null, current: null, passport: null, accounts: [] });
      await person.agent.get('/link/accounts').expect(401);
      const replayed = await supertest(app.server).get('/').set('cookie', before).expect(200);
      expect(replayed.body).toMatchObject({ app: null, current: null });
      await supertest(app.server).get('/link/accounts').set('cookie', before).expect(401);
    });

    it('adopts a session signed in before the library was deployed', async () => {
      const [alice] = await createUsers(db().orm, pair, 1);
      const before = await startPassportApp(db().orm, pair, { withLibrary: false, store: app.store });
      try {
        const agent = supertest.agent(before.server);
        await agent
          .post('/sign-in')
          .type('form')
          .send({ login: pair.loginOf(alice), password: testPassword })
          .expect(303);
        const cookie = agent.jar
          .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
          .map(c => `${c.name}=${c.value}`)
          .join('; ');
        const deployed = supertest.agent(app.server);
        deployed.jar.setCookies(
          cookie.split('; ').map(part => `${part}; Path=/`),
          '127.0.0.1',
          '/',
        );
        expect((await deployed.get('/').expect(200)).body).toMatchObject({
          app: idOf(alice),
          current: idOf(alice),
          accounts: [idOf(alice)],
        });
      } finally {
        await before.close();
      }
    });
  });
});
