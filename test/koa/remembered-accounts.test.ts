import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { eachDatabaseAndPair } from '../support/matrix.ts';
import { newUsers as createUsers } from '../support/users.ts';

eachDatabaseAndPair(({ pair, db }) => {
  let app: TestApp;
  let plain: TestApp;
  beforeAll(async () => {
    app = await startTestApp(db().orm, pair, { options: { rememberAccounts: true } });
    plain = await startTestApp(db().orm, pair);
  });
  afterAll(async () => {
    await app?.close();
    await plain?.close();
  });

  const idOf = (user: any) => String(user[pair.userId]);
  const browser = (server = app.server) => new Browser(server, pair);
  const newUsers = (count: number) => createUsers(db().orm, pair, count);
  const rememberedIds = async (person: Browser) => (await person.home()).remembered.map(account => account.id);
  const linkRoute = (primary: any) => `/link/p/${encodeURIComponent(idOf(primary))}`;
  const rememberedCookie = (person: Browser) => /(?:^|; )mma\.remembered=([^;]+)/.exec(person.cookieHeader())?.[1];

  describe('remembered accounts', () => {
    it(`lists an account signed out of on its own as signed out, \
and signs it in again through the link flow`, async () => {
      const [alice, bob, carol] = await newUsers(3);
      const person = browser();
      await person.linkGroup(alice, [bob, carol]);
      await person.post('/link/sign_out', 303); // carol leaves; the others stay
      const home = await person.home();
      expect(home.accounts.map(account => account.id)).toEqual([idOf(alice), idOf(bob)]);
      const hint = encodeURIComponent(pair.loginOf(carol));
      expect(home.remembered).toEqual([
        {
          id: idOf(carol),
          label: expect.any(String),
          signInUrl: `${linkRoute(alice)}?login_hint=${hint}`, // "Add another account", as alice acts now
          forgetUrl: `/link/forget/${encodeURIComponent(idOf(carol))}`,
        },
      ]);
      // One click: the sign-in page (the password as ever), back to the link route, confirm.
      const toSignIn = await person.get(home.remembered[0]!.signInUrl).expect(302);
      expect(toSignIn.headers.location).toBe(
        `/sign-in?return_to=${encodeURIComponent(linkRoute(alice))}&login_hint=${hint}`,
      );
      await person.signIn(carol, linkRoute(alice)).expect(303);
      await person.post(linkRoute(alice), 303);
      const after = await person.home();
      expect(after.flash?.code).toBe('LINKED');
      expect(after.accounts.map(account => account.id)).toEqual([idOf(alice), idOf(bob), idOf(carol)]);
      expect(after.remembered).toEqual([]);
    });

    it('keeps the list when the last account signs out, most recent first, and offers a plain sign-in', async () => {
      const [alice, bob] = await newUsers(2);
      const person = browser();
      await person.linkGroup(alice, [bob]);
      await person.post('/link/sign_out', 303); // bob
      await person.post('/link/sign_out', 303); // alice, the last: the session ends
      const home = await person.home();
      expect(home.current).toBeNull();
      expect(home.remembered.map(account => account.id)).toEqual([idOf(alice), idOf(bob)]);
      expect(home.remembered[0]!.signInUrl).toBe(`/sign-in?login_hint=${encodeURIComponent(pair.loginOf(alice))}`);
      // Signed in alone again, adding a remembered account starts the link flow with the acting account as primary.
      await person.signIn(alice).expect(303);
      const alone = await person.home();
      expect(alone.remembered.map(account => account.id)).toEqual([idOf(bob)]);
      const start = alone.remembered[0]!.signInUrl;
      expect(start).toBe(`${linkRoute(alice)}?login_hint=${encodeURIComponent(pair.loginOf(bob))}`);
      const toSignIn = await person.get(start).expect(302);
      expect(toSignIn.headers.location).toBe(
        `/sign-in?return_to=${encodeURIComponent(linkRoute(alice))}` +
          `&login_hint=${encodeURIComponent(pair.loginOf(bob))}`,
      );
    });

    it('forgets an account on request (a CSRF-protected POST), and a removed account is not listed', async () => {
      const [alice, bob, carol] = await newUsers(3);
      const person = browser();
      await person.linkGroup(alice, [bob, carol]);
      await person.post('/link/sign_out', 303); // carol: remembered
      await person.post(`/link/forget/${encodeURIComponent(idOf(carol))}`, 403, null);
      expect(await rememberedIds(person)).toEqual([idOf(carol)]);
      await person.post(`/link/forget/${encodeURIComponent(idOf(carol))}`, 303);
      expect(await person.home()).toMatchObject({ remembered: [], flash: { code: 'FORGOTTEN' } });
      await person.post(`/link/forget/${encodeURIComponent(idOf(carol))}`, 303);
      expect((await person.home()).flash?.code).toBe('FORGET_NOT_FOUND');
      // Remove (unlink) takes an account off this browser altogether, the list included: bob signs out (listed),
      // signs in again (signed in, so not listed), and is removed — and is not listed then either.
      await person.post(`/link/switch_to/${encodeURIComponent(idOf(bob))}`, 303);
      await person.post('/link/sign_out', 303); // bob
      expect(await rememberedIds(person)).toEqual([idOf(bob)]);
      await person.get((await person.home()).remembered[0]!.signInUrl).expect(302);
      await person.signIn(bob, linkRoute(alice)).expect(303);
      await person.post(linkRoute(alice), 303);
      expect(await rememberedIds(person)).toEqual([]);
      await person.post(`/link/switch_to/${encodeURIComponent(idOf(alice))}`, 303);
      await person.post(`/link/unlink/${encodeURIComponent(idOf(bob))}`, 303);
      expect((await person.home()).remembered).toEqual([]);
      expect(rememberedCookie(person)).toBeUndefined();
    });

    it('keeps only ids in a signed cookie: a forged or altered list shows nobody', async () => {
      const [alice, bob, carol] = await newUsers(3);
      const person = browser();
      await person.linkGroup(alice, [bob]);
      await person.post('/link/sign_out', 303);
      const value = rememberedCookie(person)!;
      expect(JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))).toEqual([idOf(bob)]);
      // Another browser plants a list naming carol, with the signature of bob's list: it lists nobody.
      const stranger = browser();
      await stranger.signIn(alice).expect(303);
      const signature = /(?:^|; )mma\.remembered\.sig=([^;]+)/.exec(person.cookieHeader())![1];
      const remembered = Buffer.from(JSON.stringify([idOf(carol)])).toString('base64url');
      stranger.plantCookies(`mma.remembered=${remembered}; mma.remembered.sig=${signature}`);
      expect(await rememberedIds(stranger)).toEqual([]);
    });

    it('is off by default: nothing is remembered and there is no forget route', async () => {
      const [alice, bob] = await newUsers(2);
      const person = browser(plain.server);
      await person.linkGroup(alice, [bob]);
      await person.post('/link/sign_out', 303);
      expect(await rememberedIds(person)).toEqual([]);
      expect(rememberedCookie(person)).toBeUndefined();
      await person.post(`/link/forget/${encodeURIComponent(idOf(bob))}`, 404);
    });
  });
});
