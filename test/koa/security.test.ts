import { randomUUID } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import CSRF from 'koa-csrf';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { eachDatabaseAndPair } from '../support/matrix.ts';
import { newUsers as createUsers } from '../support/users.ts';

eachDatabaseAndPair(({ pair, db }) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(db().orm, pair, { externalStore: true });
  });
  afterAll(() => app?.close());

  const idOf = (user: any) => String(user[pair.userId]);
  const browser = (server = app.server) => new Browser(server, pair);
  const linkPath = (user: any) => `/link/p/${encodeURIComponent(idOf(user))}`;
  const switchPath = (user: any) => `/link/switch_to/${encodeURIComponent(idOf(user))}`;
  const newUsers = (count: number) => createUsers(db().orm, pair, count);
  const linksOf = (primary: any) =>
    db()
      .orm.em.fork()
      .count(pair.linkClass, { [pair.names.primary]: idOf(primary) });

  const linkTwo = (person: Browser, primary: any, linked: any) => person.linkGroup(primary, [linked]);

  describe('takeover-proof linking', () => {
    it('refuses to link into a primary this session did not set up', async () => {
      const [alice, mallory] = await newUsers(2);
      const attacker = browser();
      await attacker.signIn(mallory).expect(303);
      // A plain GET and a POST with a valid token of the attacker's own session.
      expect((await attacker.get(linkPath(alice)).expect(302)).headers.location).toBe('/');
      expect((await attacker.home()).flash).toMatchObject({
        code: 'LINK_NOT_STARTED',
        message: 'This link request was not started in this browser session.',
      });
      await attacker.post(linkPath(alice), 303);
      expect((await attacker.home()).flash?.code).toBe('LINK_NOT_STARTED');

      // Setting up a group of one's own does not help either.
      await attacker.get(linkPath(mallory)).expect(302);
      await attacker.post(linkPath(alice), 303);
      expect((await attacker.home()).flash?.code).toBe('LINK_NOT_STARTED');
      expect(await linksOf(alice)).toBe(0);
      await attacker.post(switchPath(alice), 303);
      expect(await attacker.home()).toMatchObject({ current: idOf(mallory) });
    });

    it('refuses a link request replayed from another browser', async () => {
      const [alice, bob, mallory] = await newUsers(3);
      const victim = browser();
      await victim.signIn(alice).expect(303);
      await victim.get(linkPath(alice)).expect(302);
      await victim.signIn(bob, linkPath(alice)).expect(303);
      const victimToken = (await victim.home()).csrfToken;

      const attacker = browser();
      await attacker.signIn(mallory).expect(303);
      // The attacker's session holds no CSRF secret the token could match: nothing happens, whatever it carries.
      const replayed = await attacker.post(linkPath(alice), 303, victimToken);
      expect(replayed.headers.location).toBe('/');
      expect(await linksOf(alice)).toBe(0);
      // With a secret of its own, the victim's token is refused outright.
      await attacker.home();
      await attacker.post(linkPath(alice), 403, victimToken);
      expect(await linksOf(alice)).toBe(0);
    });
  });

  describe('CSRF', () => {
    it("guards every POST route: no token, a wrong token, another session's token", async () => {
      const [alice, bob] = await newUsers(2);
      const person = browser();
      await linkTwo(person, alice, bob);
      const other = browser();
      const otherToken = (await other.home()).csrfToken;
      for (const path of [
        linkPath(alice),
        switchPath(alice),
        `/link/unlink/${encodeURIComponent(idOf(bob))}`,
        '/link/sign_out',
        '/link/sign_out_all',
      ]) {
        for (const token of [null, '', 'forged-token', otherToken]) {
          const response = await person.post(path, 403, token);
          expect(response.text).toBe('Invalid or missing CSRF token.');
        }
      }
      expect(await person.home()).toMatchObject({ current: idOf(bob) });
    });

    it('accepts the token of an app that already uses koa-csrf, and koa-csrf accepts ours', async () => {
      const csrfApp = await startTestApp(db().orm, pair, {
        beforeRoutes: [
          bodyParser(),
          new CSRF({ ignoredPathGlobs: ['/sign-in'] }),
          async (ctx, next) => (ctx.path === '/koa-csrf-token' ? void (ctx.body = ctx.state._csrf) : next()),
        ],
      });
      try {
        const [alice, bob] = await newUsers(2);
        const person = browser(csrfApp.server);
        await linkTwo(person, alice, bob); // our own token, through koa-csrf's check
        const koaCsrfToken = (await person.get('/koa-csrf-token').expect(200)).text;
        await person.post(switchPath(alice), 303, koaCsrfToken);
        expect(await person.home()).toMatchObject({ current: idOf(alice) });
      } finally {
        await csrfApp.close();
      }
    });
  });

  describe('session renewal', () => {
    it('renews the session id on link and on switch; the old id stops working', async () => {
      const [alice, bob] = await newUsers(2);
      const person = browser();
      await person.signIn(alice).expect(303);
      await person.get(linkPath(alice)).expect(302);
      await person.signIn(bob, linkPath(alice)).expect(303);
      const beforeLink = person.sessionCookie()!;
      await person.post(linkPath(alice), 303);
      const afterLink = person.sessionCookie()!;
      expect(afterLink).not.toBe(beforeLink);
      expect(app.store!.sessions.has(afterLink)).toBe(true);

      await person.post(switchPath(alice), 303);
      const afterSwitch = person.sessionCookie()!;
      expect(afterSwitch).not.toBe(afterLink);
      expect(await person.home()).toMatchObject({ current: idOf(alice), primary: idOf(alice) });

      // Once the browser has presented its new id, someone holding an old one is nobody.
      const thief = supertest(app.server);
      for (const old of [beforeLink, afterLink]) {
        const stolen = await thief.get('/').set('cookie', `sid=${old}`).expect(200);
        expect(stolen.body).toMatchObject({ current: null });
      }
    });
  });

  describe('navigations that may come from another site', () => {
    it('submit the switch and link pages by themselves only for same-origin navigations', async () => {
      const [alice, bob, carol] = await newUsers(3);
      const person = browser();
      await linkTwo(person, alice, bob);
      const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      const submitsItself = async (path: string, headers: { 'sec-fetch-site'?: string; referer?: string }) => {
        const response = await person.agent
          .get(path)
          .set(headers as Record<string, string>)
          .expect(200);
        return response.text.includes('/switcher/confirm.js');
      };
      const checkPage = async (path: string) => {
        expect(await submitsItself(path, { 'sec-fetch-site': 'same-origin' }), path).toBe(true);
        // Browsers without Sec-Fetch-Site: the Referer decides.
        expect(await submitsItself(path, { referer: `${origin}/settings` }), path).toBe(true);
        for (const headers of [
          { 'sec-fetch-site': 'cross-site' },
          { 'sec-fetch-site': 'same-site' },
          { 'sec-fetch-site': 'none' },
          { 'sec-fetch-site': 'cross-site', referer: `${origin}/settings` },
          { referer: 'http://evil.example/' },
          { referer: `${origin}.evil.example/` },
          {},
        ]) {
          expect(await submitsItself(path, headers), `${path} ${JSON.stringify(headers)}`).toBe(false);
        }
      };
      await checkPage(switchPath(alice));
      // The link page confirms once a sign-in came back from "Add another account".
      await person.get((await person.home()).addAccountUrl!).expect(302);
      await person.signIn(carol, linkPath(alice)).expect(303);
      await checkPage(linkPath(alice));
      await person.post(linkPath(alice), 303);
      // Starting to add an account from elsewhere asks first too, and changes nothing until pressed.
      await person.post(switchPath(alice), 303);
      const asked = await person.agent.get(linkPath(alice)).set('sec-fetch-site', 'cross-site').expect(200);
      expect(asked.text).toContain('<button type="submit">Add account</button>');
      expect(await person.home()).toMatchObject({ current: idOf(alice), primary: idOf(alice) });
    });
  });

  describe('redirects', () => {
    it('goes back to the Referer after a switch only when it is this site', async () => {
      const [alice, bob] = await newUsers(2);
      const person = browser();
      await linkTwo(person, alice, bob);
      const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      const switchWith = async (referer: string) => {
        const { csrfToken } = await person.home();
        const response = await person.agent
          .post(switchPath(alice))
          .set('referer', referer)
          .type('form')
          .send({ _csrf: csrfToken })
          .expect(303);
        return response.headers.location;
      };
      expect(await switchWith(`${origin}/dashboard?tab=2`)).toBe('/dashboard?tab=2');
      // Not back to the confirmation page, which would submit the switch again.
      expect(await switchWith(`${origin}${switchPath(bob)}`)).toBe('/');
      for (const referer of [
        'https://evil.com/x',
        `${origin.replace('http:', 'https:')}/x`,
        'http://127.0.0.1.evil.com/x',
        `${origin}//evil.com`,
        'not a url',
      ]) {
        expect(await switchWith(referer)).toBe('/');
      }
    });

    it("replaces non-local results of the app's hooks with /", async () => {
      const hostile = await startTestApp(db().orm, pair, {
        options: {
          afterLinkPath: () => '//evil.com',
          afterSwitchPath: () => 'https://evil.com',
          signInPath: () => '/\\evil.com',
        },
      });
      try {
        const [alice, bob] = await newUsers(2);
        const person = browser(hostile.server);
        await person.signIn(alice).expect(303);
        expect((await person.get(linkPath(alice)).expect(302)).headers.location).toBe('/');
        await person.signIn(bob, linkPath(alice)).expect(303);
        expect((await person.post(linkPath(alice), 303)).headers.location).toBe('/');
        expect((await person.post(switchPath(alice), 303)).headers.location).toBe('/');
      } finally {
        await hostile.close();
      }
    });
  });

  describe('mounting', () => {
    it('serves the routes and builds the URLs under a custom basePath', async () => {
      const mounted = await startTestApp(db().orm, pair, { options: { basePath: '/account/links' } });
      try {
        const [alice] = await newUsers(1);
        const person = browser(mounted.server);
        await person.get('/account/links/accounts').expect(401);
        await person.get('/link/accounts').expect(404);
        await person.signIn(alice).expect(303);
        const home = await person.home();
        expect(home.addAccountUrl).toBe(`/account/links/p/${encodeURIComponent(idOf(alice))}`);
        expect(home.accounts[0]!.switchUrl).toBe(`/account/links/switch_to/${encodeURIComponent(idOf(alice))}`);
        const setup = await person.get(home.addAccountUrl!).expect(302);
        expect(setup.headers.location).toBe(`/sign-in?return_to=${encodeURIComponent(home.addAccountUrl!)}`);
      } finally {
        await mounted.close();
      }
    });
  });

  describe('bad input', () => {
    it('never answers 500 to malformed ids, encodings, methods, bodies or sizes', async () => {
      const [alice, bob] = await newUsers(2);
      const person = browser();
      await linkTwo(person, alice, bob);
      const { csrfToken } = await person.home();
      const odd = [
        '%E0%A4%A',
        '%00',
        'x'.repeat(10_000),
        '..%2F..%2Fetc',
        '1%20OR%201=1',
        randomUUID(),
        '-1',
        '9'.repeat(40),
        '%F0%9F%98%80',
      ];
      for (const id of odd) {
        for (const base of ['/link/p/', '/link/switch_to/']) {
          const get = await person.get(base + id);
          expect(get.status, `GET ${base}${id.slice(0, 20)}`).toBeLessThan(500);
          const post = await person.agent
            .post(base + id)
            .type('form')
            .send({ _csrf: csrfToken });
          expect(post.status, `POST ${base}${id.slice(0, 20)}`).toBeLessThan(500);
        }
      }
      for (const method of ['put', 'delete', 'patch'] as const) {
        expect((await person.agent[method](linkPath(alice))).status).toBe(405);
      }
      expect(
        (
          await person.agent
            .post(switchPath(alice))
            .type('form')
            .send({ _csrf: csrfToken, pad: 'x'.repeat(100_000) })
        ).status,
      ).toBe(413);
      expect((await person.agent.post(switchPath(alice)).type('json').send('{"_csrf": ')).status).toBe(400);
      for (const path of [switchPath(alice), linkPath(alice), '/link/sign_out']) {
        const notGzip = await person.agent
          .post(path)
          .type('form')
          .set('content-encoding', 'gzip')
          .send(`_csrf=${csrfToken}`);
        expect(notGzip.status, path).toBe(400);
      }
      expect(await person.home()).toMatchObject({ current: idOf(bob), primary: idOf(alice) });
    });

    it(`copes with session values it did not write: never a 500, \
never acting as an account of the group it was not`, async () => {
      // Each value tampered with in a fresh group where bob acts; what the request then acts as, and after a
      // switch to alice is tried.
      const cases: [Record<string, unknown>, 'bob' | 'nobody'][] = [
        [{ primary_user_id: { $ne: null } }, 'bob'], // no usable primary: bob alone
        [{ primary_user_id: 'not-an-id' }, 'bob'],
        [{ session_token: 'not-a-uuid' }, 'bob'], // no browser session to match: bob is signed in afresh, alone
        [{ session_token: { $gt: '' } }, 'bob'],
        [{ multi_account_session: { generation: 'x', acting: 1 } }, 'bob'],
        [{ user: 'user?id=<script>' }, 'nobody'], // no such user
        [{ user: { id: 'someone' } }, 'nobody'], // not an identity: as if the app signed bob out
        [{ primary_user_id: 'PRIMARY=BOB' }, 'bob'], // bob as his own primary: a group of one
      ];
      for (const [change, acting] of cases) {
        const [alice, bob] = await newUsers(2);
        const person = browser();
        await linkTwo(person, alice, bob);
        const key = person.sessionCookie()!;
        const value = change.primary_user_id === 'PRIMARY=BOB' ? { primary_user_id: idOf(bob) } : change;
        app.store!.sessions.set(key, { ...(app.store!.sessions.get(key) as object), ...value });
        const expected = acting === 'bob' ? idOf(bob) : null;
        const home = await person.get('/').expect(200);
        expect(home.body.current, JSON.stringify(change)).toBe(expected);
        const response = await person.agent.post(switchPath(alice)).type('form').send({ _csrf: home.body.csrfToken });
        expect(response.status, JSON.stringify(change)).toBe(303);
        expect((await person.home()).current, JSON.stringify(change)).toBe(expected);
      }
    });
  });

  describe('isolation', () => {
    it("keeps one browser session's links invisible to and unusable from another", async () => {
      const [alice, bob, carol] = await newUsers(3);
      const first = browser();
      await linkTwo(first, alice, bob);
      // Bob signs in elsewhere: he sees only himself there, and cannot switch to alice.
      const second = browser();
      await second.signIn(bob).expect(303);
      expect(await second.home()).toMatchObject({ current: idOf(bob), primary: null });
      expect((await second.get('/link/accounts')).body.accounts.map((account: any) => account.id)).toEqual([idOf(bob)]);
      await second.post(switchPath(alice), 303);
      expect(await second.home()).toMatchObject({ current: idOf(bob), flash: { code: 'NO_MULTI_ACCOUNT_SESSION' } });
      // Even with a group of his own in the second browser, alice's link from the first does not count.
      await second.get(linkPath(bob)).expect(302);
      await second.signIn(carol, linkPath(bob)).expect(303);
      await second.post(linkPath(bob), 303);
      await second.post(switchPath(alice), 303);
      expect(await second.home()).toMatchObject({ current: idOf(carol), flash: { code: 'SWITCH_NOT_AUTHORIZED' } });
    });
  });
});
