import type { Middleware } from 'koa';
import supertest from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AccountStateTooLargeError, accountSession } from '../../src/koa/index.ts';
import { Browser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { eachDatabase } from '../support/matrix.ts';
import { pairsUnderTest } from '../support/pairs-under-test.ts';
import { eachSessionStore } from '../support/session-stores.ts';
import { createTestOrm, dataStatements, type TestOrm } from '../support/test-orm.ts';
import { newUsers } from '../support/users.ts';

/**
 * [account-state] `accountSession(ctx)`: what the app keeps per account follows the account the request acts as
 * — after a switch, in `/u/N/` tabs, on another instance — and goes when the account leaves the browser.
 */
const pair = pairsUnderTest.find(candidate => candidate.label === 'default names')!;

/** The app's own routes: read its account's state, write one field (`?name=&value=`), or push into a list. */
const stateRoutes: Middleware = async (ctx, next) => {
  if (ctx.path !== '/state') return next();
  const state = accountSession(ctx);
  if (ctx.method === 'POST' && state) {
    const { name, value, push } = ctx.query as Record<string, string>;
    try {
      if (push) ((state[push] as string[] | undefined) ?? ((state[push] = [] as string[]) as string[])).push(value!);
      else if (value === undefined) delete state[name!];
      else state[name!] = value;
    } catch (error) {
      if (!(error instanceof AccountStateTooLargeError)) throw error;
      ctx.status = 413;
      ctx.body = { error: error.message };
      return;
    }
  }
  ctx.body = { state };
};

eachDatabase(database => {
  eachSessionStore(stores => {
    let db: TestOrm;
    let app: TestApp;
    let elsewhere: TestApp;
    beforeAll(async () => {
      db = await createTestOrm(database, pair.entities);
      const start = () =>
        startTestApp(db.orm, pair, {
          sessionStore: stores.store(`mma-account-state:${database}:`),
          options: { accountSelector: { pathPrefix: true }, accountState: { maxBytesPerAccount: 200, maxBytes: 300 } },
          afterLoader: [stateRoutes],
        });
      app = await start();
      app.app.silent = true; // the nested write past the limit is a 500, on purpose
      elsewhere = await start();
    });
    afterAll(async () => {
      await app?.close();
      await elsewhere?.close();
      await db?.close();
    });

    const idOf = (user: any) => String(user[pair.userId]);
    const switchPath = (user: any) => `/link/switch_to/${encodeURIComponent(idOf(user))}`;
    const read = async (person: Browser, prefix = '') =>
      (await person.agent.get(`${prefix}/state`).expect(200)).body.state;
    const write = (person: Browser, query: string, prefix = '') => person.agent.post(`${prefix}/state?${query}`);

    it("keeps Bob's draft out of Alice's account, after a switch, in a tab and on another instance", async () => {
      const [alice, bob] = await newUsers(db.orm, pair, 2);
      const person = new Browser(app.server, pair);
      await person.linkGroup(alice, [bob]); // Bob acting
      await write(person, 'name=draft&value=bobs%20draft').expect(200);
      await person.post(switchPath(alice), 303);
      expect(await read(person)).toEqual({});
      await write(person, 'name=team&value=alices-team').expect(200);
      // Two tabs, two accounts, each its own.
      expect(await read(person, '/u/0')).toEqual({ team: 'alices-team' });
      expect(await read(person, '/u/1')).toEqual({ draft: 'bobs draft' });
      // The same browser served by another instance: the same per-account state.
      const there = new Browser(elsewhere.server, pair);
      there.plantCookies(person.cookieHeader());
      await there.post(switchPath(bob), 303);
      expect(await read(there)).toEqual({ draft: 'bobs draft' });
      // Nothing of it in the switcher's JSON.
      const listed = await there.agent.get('/link/accounts').expect(200);
      expect(listed.text).not.toContain('bobs draft');
      expect(listed.text).not.toContain('alices-team');
    });

    it("drops an account's state when it is unlinked or signed out of, and writes nothing for a read", async () => {
      const [alice, bob, carol] = await newUsers(db.orm, pair, 3);
      const person = new Browser(app.server, pair);
      await person.linkGroup(alice, [bob, carol]); // Carol acting
      await write(person, 'name=cart&value=carols').expect(200);
      await write(person, 'name=cart&value=bobs', '/u/1').expect(200);
      await write(person, 'name=cart&value=alices', '/u/0').expect(200);
      // Reading and writing it costs no statement: the loader's one, as on any page.
      db.queries.length = 0;
      await write(person, 'name=cart&value=carols').expect(200);
      expect(dataStatements(db.queries)).toHaveLength(1);
      // A read writes no session: no cookie with the cookie store, no new key with Redis.
      const cookie = person.cookieHeader();
      expect((await person.agent.get('/state').expect(200)).headers['set-cookie']).toBeUndefined();
      expect(person.cookieHeader()).toBe(cookie);
      /** "Add another account" as `user`, who then acts. */
      const addAgain = async (user: any) => {
        await person.get((await person.home()).addAccountUrl!).expect(302);
        await person.signIn(user, `/link/p/${encodeURIComponent(idOf(alice))}`).expect(303);
        await person.post(`/link/p/${encodeURIComponent(idOf(alice))}`, 303);
      };
      // Carol signs out: her state goes (she comes back empty); Alice's and Bob's stay.
      await person.post('/link/sign_out', 303);
      expect(await read(person)).toEqual({ cart: 'alices' });
      await addAgain(carol);
      expect(await read(person)).toEqual({});
      expect(await read(person, '/u/1')).toEqual({ cart: 'bobs' });
      // Alice removes Bob: his goes too.
      await person.post(switchPath(alice), 303);
      await person.post(`/link/unlink/${encodeURIComponent(idOf(bob))}`, 303);
      await addAgain(bob);
      expect(await read(person)).toEqual({});
      expect(await read(person, '/u/0')).toEqual({ cart: 'alices' });
    });

    it('refuses a write past its limits, naming the limit, and keeps what was there', async () => {
      const [alice, bob] = await newUsers(db.orm, pair, 2);
      const person = new Browser(app.server, pair);
      await person.linkGroup(alice, [bob]);
      await write(person, 'name=note&value=kept').expect(200);
      const big = 'x'.repeat(250);
      const refused = await write(person, `name=big&value=${big}`).expect(413);
      expect(refused.body.error).toContain('accountState.maxBytesPerAccount');
      expect(await read(person)).toEqual({ note: 'kept' });
      // Within one account's limit, but past the limit for all accounts together.
      await write(person, `name=big&value=${'y'.repeat(150)}`).expect(200);
      const tooMuch = await write(person, `name=big&value=${'z'.repeat(150)}`, '/u/0').expect(413);
      expect(tooMuch.body.error).toContain('accountState.maxBytes');
      // A write inside a nested object is checked at the end of the request: an error, and not kept.
      const anonymous = supertest(app.server).post('/state').set('cookie', person.cookieHeader());
      await anonymous.query({ push: 'list', value: 'w'.repeat(150) }).expect(500);
      expect(await read(person)).toEqual({ note: 'kept', big: 'y'.repeat(150) });
    });
  });
});
