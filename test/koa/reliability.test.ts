import { randomUUID } from 'node:crypto';
import { ConnectionException, type EventSubscriber } from '@mikro-orm/core';
import { createClient } from 'redis';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisSessionStore, type RedisSessionClient } from '../../src/koa/index.ts';
import { Browser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { eachDatabase, eachDatabaseAndPair } from '../support/matrix.ts';
import { eachSessionStore } from '../support/session-stores.ts';
import { pairsUnderTest } from '../support/pairs-under-test.ts';
import { createTestOrm, type TestOrm } from '../support/test-orm.ts';
import { newUsers as createUsers } from '../support/users.ts';

/**
 * No 500 and no browser signed out by accident: a change of acting account or group happens whole or not at all,
 * a group whose primary went leaves nothing behind to trip a later one, and a refused "Add another account" goes
 * back to the account that pressed it.
 */
const redis = inject('redis');

eachDatabaseAndPair(({ pair, db }) => {
  eachSessionStore(stores => {
    let app: TestApp;
    /** While set, the database "goes away" as the next link row is written (a subscriber of the real ORM). */
    let failNextLinkWrite = false;
    const outage: EventSubscriber = {
      beforeCreate(args) {
        const links = db().orm.getMetadata().get(pair.linkClass);
        if (!failNextLinkWrite || args.meta.className !== links.className) return;
        failNextLinkWrite = false;
        throw new ConnectionException(new Error('connection terminated unexpectedly'));
      },
    };
    beforeAll(async () => {
      const sessionStore = stores.store(`mma-reliability:${pair.label}:`);
      db().orm.em.getEventManager().registerSubscriber(outage);
      app = await startTestApp(db().orm, pair, { sessionStore });
    });
    afterAll(async () => {
      await app?.close();
    });

    const idOf = (user: any) => String(user[pair.userId]);
    const newUsers = (count: number) => createUsers(db().orm, pair, count);
    const linkPath = (user: any) => `/link/p/${encodeURIComponent(idOf(user))}`;
    const setActive = async (user: any, active: boolean) => {
      const em = db().orm.em.fork();
      pair.setActive(await em.findOneOrFail(pair.userClass, idOf(user)), active);
      await em.flush();
    };
    /** "Add another account" from the acting account, signing in as `other`, confirmed. */
    const add = async (person: Browser, primary: any, other: any) => {
      await person.get((await person.home()).addAccountUrl!).expect(302);
      await person.signIn(other, linkPath(primary)).expect(303);
      return person.post(linkPath(primary), 303);
    };
    const groupIds = async (person: Browser) => (await person.home()).accounts.map(account => account.id);

    it(`hands a group over after its primary was dropped and came back: no 500, nothing signed out`, async () => {
      const [alice, bob, carol] = await newUsers(3);
      const person = new Browser(app.server, pair);
      await person.linkGroup(alice, [bob, carol]);
      await setActive(alice, false);
      expect(await person.home()).toMatchObject({ current: idOf(carol), primary: null });
      await setActive(alice, true);
      // Carol, alone now, adds Alice and then Bob to a group of her own.
      await add(person, carol, alice);
      await add(person, carol, bob);
      await person.post(`/link/switch_to/${encodeURIComponent(idOf(carol))}`, 303);
      expect(await groupIds(person)).toEqual([carol, alice, bob].map(idOf));
      await person.post('/link/sign_out', 303); // Carol, the primary, leaves: Alice takes the group over
      expect(await person.home()).toMatchObject({ current: idOf(alice), primary: idOf(alice) });
      expect(await groupIds(person)).toEqual([alice, bob].map(idOf));
    });

    it('leaves the browser acting as before, its cookie current, when the database fails mid-change', async () => {
      const [alice, bob, carol] = await newUsers(3);
      const person = new Browser(app.server, pair);
      await person.linkGroup(alice, [bob, carol]);
      await person.post(`/link/switch_to/${encodeURIComponent(idOf(alice))}`, 303);
      const { csrfToken } = await person.home();
      failNextLinkWrite = true; // the hand-over writes Alice's group anew for Bob
      const failed = await person.agent.post('/link/sign_out').type('form').send({ _csrf: csrfToken });
      expect(failed.status).toBe(503);
      expect(failNextLinkWrite).toBe(false);
      expect(await person.home()).toMatchObject({ current: idOf(alice), primary: idOf(alice) });
      expect(await groupIds(person)).toEqual([alice, bob, carol].map(idOf));
      // And the same change, tried again, goes through.
      await person.post('/link/sign_out', 303);
      expect(await person.home()).toMatchObject({ current: idOf(bob), primary: idOf(bob) });
    });

    it(`takes a refused "Add another account" back to the account that pressed it, \
the group as it was`, async () => {
      const users = await newUsers(pair.max + 2);
      const [alice, first, ...rest] = users;
      const person = new Browser(app.server, pair);
      await person.linkGroup(alice, [first, ...rest.slice(0, pair.max - 1)]);
      const group = await groupIds(person);
      await person.post(`/link/switch_to/${encodeURIComponent(idOf(first))}`, 303);
      await add(person, alice, rest[pair.max - 1]); // one too many
      const home = await person.home();
      expect(home).toMatchObject({ current: idOf(first), flash: { code: 'MAX_LINKED_ACCOUNTS' } });
      expect(home.accounts.map(account => account.id)).toEqual(group);
      await person.post(`/link/switch_to/${encodeURIComponent(idOf(alice))}`, 303);
      expect((await person.home()).current).toBe(idOf(alice));
    });
  });
});

/** Strangers (no cookie at all) make nothing grow: no session key, no row, whatever library route they call. */
eachDatabase(database => {
  const pair = pairsUnderTest.find(candidate => candidate.label === 'default names')!;
  describe.skipIf(Boolean(redis.skipReason))(
    `with Redis${redis.skipReason ? ` — SKIPPED: ${redis.skipReason}` : ''}`,
    () => {
      let db: TestOrm;
      let app: TestApp;
      let redisClient:
        | (RedisSessionClient & { quit(): Promise<unknown>; keys(pattern: string): Promise<string[]> })
        | undefined;
      const prefix = `mma-strangers:${database}:${randomUUID()}:`;
      beforeAll(async () => {
        db = await createTestOrm(database, pair.entities);
        redisClient = await createClient({ url: redis.url }).connect();
        app = await startTestApp(db.orm, pair, { sessionStore: redisSessionStore(redisClient, { prefix }) });
      });
      afterAll(async () => {
        await app?.close();
        await redisClient?.quit();
        await db?.close();
      });

      it('leaves no session key and writes no row for 1 100 cookie-less requests to every library route', async () => {
        const [alice] = await createUsers(db.orm, pair, 1);
        const id = encodeURIComponent(String(alice[pair.userId]));
        const routes: [method: 'get' | 'post', path: string][] = [
          ['get', `/link/p/${id}`],
          ['post', `/link/p/${id}`],
          ['get', `/link/switch_to/${id}`],
          ['post', `/link/switch_to/${id}`],
          ['post', `/link/unlink/${id}`],
          ['post', '/link/sign_out'],
          ['post', '/link/sign_out_all'],
          ['post', `/link/forget/${id}`],
          ['get', '/link/accounts'],
          ['get', '/link/switcher.css'],
          ['get', '/link/switcher/menu.js'],
        ];
        db.queries.length = 0;
        const stranger = supertest(app.server);
        const statuses = new Set<number>();
        for (let round = 0; round < 100; round++) {
          for (const [method, path] of routes) {
            const response = await stranger[method](path).set('sec-fetch-site', 'same-origin');
            statuses.add(response.status);
          }
        }
        expect([...statuses].sort()).toEqual([200, 302, 303, 401]); // never a 500
        expect(await redisClient!.keys(`${prefix}*`)).toEqual([]);
        expect(db.queries.filter(query => /\b(insert|update|delete)\b/i.test(query))).toEqual([]);
        // The message still reaches the stranger's next page.
        const person = new Browser(app.server, pair);
        expect((await person.get(`/link/switch_to/${id}`).expect(302)).headers.location).toBe('/sign-in');
        expect((await person.home()).flash?.code).toBe('SIGN_IN_TO_SWITCH');
      });
    },
  );
});

/**
 * On PostgreSQL the loader's statement runs a switch's compare-and-set before the route has checked the target:
 * when the route then refuses (the target was deactivated), the browser keeps acting as before at the new
 * generation, and a copy of its cookie from before stops acting — in Redis too, where that copy names a key.
 */
eachDatabase(database => {
  const pair = pairsUnderTest.find(candidate => candidate.label === 'default names')!;
  eachSessionStore(stores => {
    let db: TestOrm;
    let app: TestApp;
    /** Another instance on the same database and keys (and, with Redis, the same sessions). */
    let elsewhere: TestApp;
    beforeAll(async () => {
      db = await createTestOrm(database, pair.entities);
      app = await startTestApp(db.orm, pair, { sessionStore: stores.store(`mma-reliable:${database}:`) });
      elsewhere = await startTestApp(db.orm, pair, { sessionStore: stores.store(`mma-reliable:${database}:`) });
    });
    afterAll(async () => {
      await app?.close();
      await elsewhere?.close();
      await db?.close();
    });

    it('keeps a browser whose answer was lost signed in; the cookie before stops once the newest is back', async () => {
      const [alice, bob, carol] = await createUsers(db.orm, pair, 3);
      const [aliceId, bobId, carolId] = [alice, bob, carol].map(user => String(user[pair.userId]));
      const person = new Browser(app.server, pair);
      await person.linkGroup(alice, [bob, carol]);
      const older = person.cookieHeader(); // Carol acting
      await person.post(`/link/switch_to/${encodeURIComponent(aliceId)}`, 303);
      const { csrfToken } = await person.home(); // Alice acting: the browser presented its newest cookie
      const before = person.cookieHeader();
      // Alice signs out (Bob takes the group over and acts), but the answer never reaches the browser.
      const signOut = supertest(app.server).post('/link/sign_out').set('cookie', before).type('form');
      await signOut.send({ _csrf: csrfToken }).expect(303);
      const replay = (server: TestApp, cookie: string) => supertest(server.server).get('/').set('cookie', cookie);
      // Two generations back: nobody, even now.
      expect((await replay(elsewhere, older).expect(200)).body).toMatchObject({ current: null, accounts: [] });
      // A form the page still shows (a switch to Carol) changes nothing and writes nothing: a double click's
      // loser looks the same.
      const next = new Browser(elsewhere.server, pair);
      next.plantCookies(before);
      const form = next.agent.post(`/link/switch_to/${encodeURIComponent(carolId)}`).type('form');
      expect((await form.send({ _csrf: csrfToken }).expect(303)).headers['set-cookie']).toBeUndefined();
      // The next page, on the other instance, acts as the change made it: Bob, the new primary; a new cookie.
      const home = await next.home();
      expect(home).toMatchObject({ current: bobId, primary: bobId });
      expect(home.accounts.map(account => account.id)).toEqual([bobId, carolId]);
      expect(next.cookieHeader()).not.toBe(before);
      // Presented once, the newest is the only one: the cookie before acts no more, on either instance.
      expect(await next.home()).toMatchObject({ current: bobId });
      for (const server of [app, elsewhere]) {
        expect((await replay(server, before).expect(200)).body).toMatchObject({ current: null, accounts: [] });
      }
    });

    it('stops a copy of the cookie from acting after a switch the route refused', async () => {
      const [alice, bob] = await createUsers(db.orm, pair, 2);
      const person = new Browser(app.server, pair);
      await person.linkGroup(alice, [bob]);
      await person.post(`/link/switch_to/${encodeURIComponent(String(alice[pair.userId]))}`, 303);
      const em = db.orm.em.fork();
      pair.setActive(await em.findOneOrFail(pair.userClass, bob[pair.userId]), false);
      await em.flush();
      const copy = person.cookieHeader();
      await person.post(`/link/switch_to/${encodeURIComponent(String(bob[pair.userId]))}`, 303);
      expect(await person.home()).toMatchObject({ current: String(alice[pair.userId]) });
      const replayed = await supertest(app.server).get('/').set('cookie', copy).expect(200);
      // Elsewhere nothing moved: the copy is the browser's current cookie still.
      expect(replayed.body.current).toBe(database === 'postgresql' ? null : String(alice[pair.userId]));
    });

    const ids = (users: any[]) => users.map(user => String(user[pair.userId]));

    it('keeps the order of the group when its primary hands it over', async () => {
      const [alice, bob, carol, dave] = await createUsers(db.orm, pair, 4);
      const person = new Browser(app.server, pair);
      await person.linkGroup(alice, [bob, carol, dave]);
      await person.post(`/link/switch_to/${encodeURIComponent(String(alice[pair.userId]))}`, 303);
      await person.post('/link/sign_out', 303);
      const home = await person.home();
      expect(home).toMatchObject({ current: String(bob[pair.userId]), primary: String(bob[pair.userId]) });
      expect(home.accounts.map(account => account.id)).toEqual(ids([bob, carol, dave]));
    });

    it('takes an "Add another account" that signed in as an inactive account back to its starter', async () => {
      const [alice, bob, carol] = await createUsers(db.orm, pair, 3);
      const em = db.orm.em.fork();
      pair.setActive(await em.findOneOrFail(pair.userClass, carol[pair.userId]), false);
      await em.flush();
      const person = new Browser(app.server, pair);
      await person.linkGroup(alice, [bob]);
      await person.get((await person.home()).addAccountUrl!).expect(302);
      await person.signIn(carol, `/link/p/${encodeURIComponent(String(alice[pair.userId]))}`).expect(303);
      const home = await person.home();
      expect(home).toMatchObject({ current: String(bob[pair.userId]), flash: { code: 'LINK_INACTIVE' } });
      expect(home.accounts.map(account => account.id)).toEqual(ids([alice, bob]));
    });
  });
});
