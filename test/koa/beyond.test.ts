import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MultiAccountEvent } from '../../src/koa/index.ts';
import { Browser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { eachDatabaseAndPair } from '../support/matrix.ts';
import { newUsers as createUsers } from '../support/users.ts';
import { dataStatements } from '../support/test-orm.ts';

eachDatabaseAndPair(({ pair, db }) => {
  const events: (MultiAccountEvent & Record<string, unknown>)[] = [];
  let app: TestApp;
  let perTab: TestApp;
  beforeAll(async () => {
    const record = (name: string) => (event: MultiAccountEvent) => void events.push({ ...event, name });
    app = await startTestApp(db().orm, pair, {
      externalStore: true,
      options: {
        onLink: record('link'),
        onSwitch: record('switch'),
        onUnlink: record('unlink'),
        onSignOut: record('signOut'),
      },
    });
    perTab = await startTestApp(db().orm, pair, {
      options: { accountSelector: { pathPrefix: true, header: 'x-account-index' } },
    });
  });
  afterAll(async () => {
    await app?.close();
    await perTab?.close();
  });

  const idOf = (user: any) => String(user[pair.userId]);
  const browser = (server = app.server) => new Browser(server, pair);
  /** A session id replayed as a copy of the cookie would be: it acts as nobody. */
  const expectNobodyAt = async (sessionId: string) => {
    const replayed = await supertest(app.server).get('/').set('cookie', `sid=${sessionId}`).expect(200);
    expect(replayed.body).toMatchObject({ current: null, accounts: [] });
  };
  const newUsers = (count: number) => createUsers(db().orm, pair, count);
  const group = (person: Browser, primary: any, others: any[]) => person.linkGroup(primary, others);
  const accountIds = async (person: Browser) => (await person.home()).accounts.map(account => account.id);
  const linkRows = (primary: any) =>
    db()
      .orm.em.fork()
      .count(pair.linkClass, { [pair.names.primary]: idOf(primary) });
  async function setActive(user: any, active: boolean) {
    const em = db().orm.em.fork();
    pair.setActive(await em.findOneOrFail(pair.userClass, idOf(user)), active);
    await em.flush();
  }

  describe('unlink', () => {
    it(`lets the primary remove any linked account, and a linked account only itself, \
falling back to the primary`, async () => {
      const [alice, bob, carol] = await newUsers(3);
      const person = browser();
      await group(person, alice, [bob, carol]); // acting as carol
      await person.post(`/link/unlink/${encodeURIComponent(idOf(bob))}`, 303);
      expect(await person.home()).toMatchObject({ current: idOf(carol), flash: { code: 'UNLINK_NOT_AUTHORIZED' } });

      const beforeSession = person.sessionCookie();
      await person.post(`/link/unlink/${encodeURIComponent(idOf(carol))}`, 303);
      expect(await person.home()).toMatchObject({
        current: idOf(alice),
        primary: idOf(alice),
        flash: { code: 'UNLINKED' },
      });
      expect(person.sessionCookie()).not.toBe(beforeSession);
      await expectNobodyAt(beforeSession!); // the browser presented its new id above
      expect(await accountIds(person)).toEqual([idOf(alice), idOf(bob)]);

      await person.post(`/link/unlink/${encodeURIComponent(idOf(bob))}`, 303);
      expect(await accountIds(person)).toEqual([idOf(alice)]);
      await person.post(`/link/unlink/${encodeURIComponent(idOf(bob))}`, 303);
      expect((await person.home()).flash?.code).toBe('UNLINK_NOT_FOUND');
      expect(await linkRows(alice)).toBe(0);
    });
  });

  describe('sign out', () => {
    it('of a linked account: it leaves, the primary acts again', async () => {
      const [alice, bob] = await newUsers(2);
      const person = browser();
      await group(person, alice, [bob]);
      await person.post('/link/sign_out', 303);
      expect(await person.home()).toMatchObject({
        current: idOf(alice),
        primary: idOf(alice),
        flash: { code: 'SIGNED_OUT_ACCOUNT' },
      });
      expect(await accountIds(person)).toEqual([idOf(alice)]);
    });

    it(`of the primary: the oldest linked account takes the group over; \
the last one leaving ends the session`, async () => {
      const [alice, bob, carol] = await newUsers(3);
      const person = browser();
      await group(person, alice, [bob, carol]);
      await person.post(`/link/switch_to/${encodeURIComponent(idOf(alice))}`, 303);
      await person.post('/link/sign_out', 303);
      expect(await person.home()).toMatchObject({ current: idOf(bob), primary: idOf(bob) });
      expect(await accountIds(person)).toEqual([idOf(bob), idOf(carol)]);
      expect(await linkRows(alice)).toBe(0);

      await person.post('/link/sign_out', 303); // bob, now primary, leaves: carol is left
      expect(await person.home()).toMatchObject({ current: idOf(carol), primary: idOf(carol) });
      const last = await person.post('/link/sign_out', 303);
      expect(last.headers.location).toBe('/sign-in');
      expect(await person.home()).toMatchObject({ current: null, primary: null, flash: { code: 'SIGNED_OUT' } });
    });

    it("of all: ends the session and deletes the group's links", async () => {
      const [alice, bob, carol] = await newUsers(3);
      const person = browser();
      await group(person, alice, [bob, carol]);
      const session = person.sessionCookie()!;
      expect(await linkRows(alice)).toBe(2);
      expect((await person.post('/link/sign_out_all', 303)).headers.location).toBe('/sign-in');
      expect(await person.home()).toMatchObject({
        current: null,
        primary: null,
        flash: { code: 'SIGNED_OUT_ALL', message: 'Signed out of all accounts.' },
      });
      expect(await linkRows(alice)).toBe(0);
      expect(app.store!.sessions.has(session)).toBe(false);
    });
  });

  describe('fallback', () => {
    it('moves to the primary when the acting account is deactivated or deleted, and says why', async () => {
      const [alice, bob, carol] = await newUsers(3);
      const person = browser();
      await group(person, alice, [bob, carol]); // acting as carol
      await setActive(carol, false);
      expect(await person.home()).toMatchObject({
        current: idOf(alice),
        primary: idOf(alice),
        flash: { code: 'FALLBACK_INACTIVE' },
      });
      expect(await accountIds(person)).toEqual([idOf(alice), idOf(bob)]);

      await person.post(`/link/switch_to/${encodeURIComponent(idOf(bob))}`, 303);
      await db()
        .orm.em.fork()
        .nativeDelete(pair.userClass, { [pair.userId]: idOf(bob) });
      expect(await person.home()).toMatchObject({ current: idOf(alice), flash: { code: 'FALLBACK_DELETED' } });
    });

    it('moves to the next linked account when the primary itself is deactivated while acting', async () => {
      const [alice, bob] = await newUsers(2);
      const person = browser();
      await group(person, alice, [bob]);
      await person.post(`/link/switch_to/${encodeURIComponent(idOf(alice))}`, 303);
      await setActive(alice, false);
      expect(await person.home()).toMatchObject({
        current: idOf(bob),
        primary: null,
        flash: { code: 'FALLBACK_INACTIVE' },
      });
    });
  });

  describe('expiry', () => {
    it('counts any request of the session as use of its group, touching its links at most once an hour', async () => {
      const [alice, bob] = await newUsers(2);
      const person = browser();
      await group(person, alice, [bob]);
      const key = person.sessionCookie()!;
      const lastUse = async () =>
        (
          (await db()
            .orm.em.fork()
            .findOneOrFail(pair.linkClass, { [pair.names.primary]: idOf(alice) } as never)) as any
        ).updatedAt.getTime();
      const statementsOf = async (call: () => Promise<unknown>) => {
        db().queries.length = 0;
        await call();
        return dataStatements(db().queries).filter(query => /^\[query\] update /i.test(query)).length;
      };
      // Just linked: nothing to refresh. Requests below load no switcher: the loader alone keeps the group alive.
      expect(await statementsOf(() => person.agent.get('/link/accounts').set('accept', 'application/json'))).toBe(0);

      // Two days later (the session last touched its group two days ago too), the next request refreshes it once.
      const twoDaysAgo = Date.now() - 2 * 24 * 60 * 60 * 1000;
      await db()
        .orm.em.fork()
        .nativeUpdate(
          pair.linkClass,
          { [pair.names.primary]: idOf(alice) } as never,
          { updatedAt: new Date(twoDaysAgo) } as never,
        );
      const stored = app.store!.sessions.get(key) as Record<string, unknown>;
      app.store!.sessions.set(key, { ...stored, multi_account_touched_at: twoDaysAgo });
      // One UPDATE for the group's links, one for the browser session's record.
      expect(await statementsOf(() => person.agent.get('/a-page-without-switcher'))).toBe(2);
      expect(Date.now() - (await lastUse())).toBeLessThan(60_000);
      expect(await statementsOf(() => person.agent.get('/a-page-without-switcher'))).toBe(0);
    });
  });

  describe('lifecycle hooks', () => {
    it('tell who did what to whom and when, with the request', async () => {
      const [alice, bob] = await newUsers(2);
      const person = browser();
      const since = events.length;
      const started = Date.now();
      await group(person, alice, [bob]);
      await person.post(`/link/switch_to/${encodeURIComponent(idOf(alice))}`, 303);
      await person.post(`/link/unlink/${encodeURIComponent(idOf(bob))}`, 303);
      await person.post('/link/sign_out_all', 303);
      const seen = events.slice(since);
      expect(seen.map(({ name, who, whom }) => ({ name, who, whom }))).toEqual([
        { name: 'link', who: idOf(alice), whom: idOf(bob) },
        { name: 'switch', who: idOf(bob), whom: idOf(alice) },
        { name: 'unlink', who: idOf(alice), whom: idOf(bob) },
        { name: 'signOut', who: idOf(alice), whom: null },
      ]);
      expect(seen[1]).toMatchObject({ reason: 'switch' });
      expect(seen[3]).toMatchObject({ scope: 'all' });
      for (const event of seen) {
        expect(event.at).toBeInstanceOf(Date);
        expect((event.at as Date).getTime()).toBeGreaterThanOrEqual(started);
        expect(event.ctx.path).toMatch(/^\/link\//);
      }
    });

    it('report a throwing hook through Koa and do not break the request', async () => {
      const failing = await startTestApp(db().orm, pair, {
        options: {
          onLink: () => {
            throw new Error('audit log is down');
          },
          onSwitch: async () => Promise.reject(new Error('still down')),
        },
      });
      const reported: string[] = [];
      failing.app.silent = true; // reported to our listener only, not printed
      failing.app.on('error', (error: Error) => reported.push(error.message));
      try {
        const [alice, bob] = await newUsers(2);
        const person = browser(failing.server);
        await group(person, alice, [bob]);
        await person.post(`/link/switch_to/${encodeURIComponent(idOf(alice))}`, 303);
        expect(await person.home()).toMatchObject({ current: idOf(alice), primary: idOf(alice) });
        expect(reported).toEqual(['audit log is down', 'still down']);
      } finally {
        await failing.close();
      }
    });
  });

  describe(`per-tab account \
selection`, () => {
    it(`acts as another account of the group for one request, by path prefix or header, \
without touching the session`, async () => {
      const [alice, bob] = await newUsers(2);
      const person = browser(perTab.server);
      await group(person, alice, [bob]); // the session acts as bob
      const tab = async (path: string, header?: string) => {
        const request = person.agent.get(path);
        if (header !== undefined) request.set('x-account-index', header);
        return request;
      };
      expect((await tab('/u/0/')).body).toMatchObject({ current: idOf(alice), primary: idOf(alice) });
      expect((await tab('/u/1/')).body).toMatchObject({ current: idOf(bob) });
      // The group comes in the loader's one statement: the page and its switcher need no other.
      db().queries.length = 0;
      expect((await tab('/u/0/')).body.accounts).toHaveLength(2);
      expect(dataStatements(db().queries)).toHaveLength(1);
      expect((await tab('/', '0')).body).toMatchObject({ current: idOf(alice) });
      expect((await tab('/link/accounts', '0')).body.currentUser.id).toBe(idOf(alice));
      expect((await tab('/')).body).toMatchObject({ current: idOf(bob) });
      const home = (await tab('/u/0/')).body;
      expect(home.accounts.map((account: { switchUrl: string }) => account.switchUrl)).toEqual(['/u/0/', '/u/1/']);

      expect((await tab('/u/2/')).status).toBe(404);
      expect((await tab('/', 'first')).status).toBe(400);
      // Someone else, or someone signed in here without being linked, cannot borrow the group's accounts.
      const stranger = browser(perTab.server);
      await stranger.signIn(bob).expect(303);
      expect((await stranger.get('/u/0/')).status).toBe(404);
      const [mallory] = await newUsers(1);
      await person.signIn(mallory).expect(303);
      expect((await tab('/u/0/')).status).toBe(404);
    });

    it(`signs out of the tab's own account from a tab, the one its menu names, \
and lands on the page without the tab`, async () => {
      const [alice, bob] = await newUsers(2);
      const person = browser(perTab.server);
      await group(person, alice, [bob]); // the session acts as bob
      const inTab = (await person.get('/u/0/link/accounts').expect(200)).body;
      expect(inTab.currentUser.id).toBe(idOf(alice));
      expect(inTab.signOutAccountUrl).toBe('/u/0/link/sign_out');
      expect((await person.get('/link/accounts').expect(200)).body.signOutAccountUrl).toBe('/link/sign_out');
      const site = `http://127.0.0.1:${(perTab.server.address() as { port: number }).port}`;
      const signedOut = await person.agent
        .post(inTab.signOutAccountUrl)
        .set('referer', `${site}/u/0/inbox`)
        .type('form')
        .send({ _csrf: inTab.csrfToken })
        .expect(303);
      expect(signedOut.headers.location).toBe('/inbox');
      const home = await person.home();
      expect(home).toMatchObject({ current: idOf(bob), primary: idOf(bob), flash: { code: 'SIGNED_OUT_ACCOUNT' } });
      expect(home.accounts.map(account => account.id)).toEqual([idOf(bob)]);
    });

    it(`gives the JSON endpoint switch links to a page: the one it names, \
else where a switch lands, never the endpoint`, async () => {
      const [alice, bob] = await newUsers(2);
      const person = browser(perTab.server);
      await group(person, alice, [bob]);
      const switchUrls = async (path: string, referer?: string) => {
        const request = person.agent.get(path);
        if (referer) request.set('referer', referer);
        const { body } = await request.expect(200);
        return body.accounts.map((account: { switchUrl: string }) => account.switchUrl);
      };
      const site = `http://127.0.0.1:${(perTab.server.address() as { port: number }).port}`;
      expect(await switchUrls('/u/1/link/accounts')).toEqual(['/u/0/', '/u/1/']);
      expect(await switchUrls('/link/accounts?page=%2Finbox%3Ffolder%3D2')).toEqual([
        '/u/0/inbox?folder=2',
        '/u/1/inbox?folder=2',
      ]);
      expect(await switchUrls('/u/0/link/accounts?page=%2Fu%2F1%2Finbox')).toEqual(['/u/0/inbox', '/u/1/inbox']);
      expect(await switchUrls('/link/accounts', `${site}/u/1/settings`)).toEqual(['/u/0/settings', '/u/1/settings']);
      for (const refused of ['//evil.example/x', 'https://evil.example/', '/link/accounts', '/u/1/link/switch_to/1']) {
        expect(await switchUrls(`/link/accounts?page=${encodeURIComponent(refused)}`), refused).toEqual([
          '/u/0/',
          '/u/1/',
        ]);
      }
      // Followed, each acts as its account.
      const [first, second] = await switchUrls('/link/accounts?page=%2F%3Fview%3D1');
      expect((await person.agent.get(first).expect(200)).body).toMatchObject({ current: idOf(alice) });
      expect((await person.agent.get(second).expect(200)).body).toMatchObject({ current: idOf(bob) });
    });
  });
});
