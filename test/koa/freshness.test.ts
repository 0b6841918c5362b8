import type { Middleware } from 'koa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requireRecentSignIn } from '../../src/koa/index.ts';
import { MultiAccountSessionAccount } from '../../src/transformers/session-account-entity.ts';
import { Browser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { eachDatabaseAndPair } from '../support/matrix.ts';
import { eachSessionStore } from '../support/session-stores.ts';
import { newUsers } from '../support/users.ts';

const minute = 60_000;

/**
 * README "Sign in again": past `reauthenticateAfter` an account of the group must sign in again before a switch
 * into it, and `requireRecentSignIn` guards a route by the acting account's last sign-in on this browser.
 */
eachDatabaseAndPair(
  ({ pair, db }) => {
    eachSessionStore(stores => {
      let app: TestApp;
      const idOf = (user: any) => String(user[pair.userId]);
      /** Accounts `reauthenticateIf` leaves out (an app's unprivileged ones). */
      const exempt = new Set<string>();
      // A route in sudo mode, as an app guards its settings.
      const sudo: Middleware = async (ctx, next) => {
        if (ctx.path !== '/settings') return next();
        await requireRecentSignIn(5 * minute)(ctx, async () => {
          ctx.body = { settings: true };
        });
      };
      beforeAll(async () => {
        app = await startTestApp(db().orm, pair, {
          sessionStore: stores.store(`mma-fresh:${pair.label}:`),
          options: { reauthenticateAfter: 10 * minute, reauthenticateIf: user => !exempt.has(idOf(user)) },
          afterLoader: [sudo],
        });
      });
      afterAll(async () => app?.close());

      /** The account signed in on every browser session `minutes` ago, as the clock will have it. */
      const ageSignIns = (user: any, minutes: number) =>
        db()
          .orm.em.fork()
          .nativeUpdate(
            MultiAccountSessionAccount,
            { userId: idOf(user) },
            {
              signedInAt: new Date(Date.now() - minutes * minute),
            },
          );
      const accountsJson = async (person: Browser) => (await person.get('/link/accounts').expect(200)).body;

      it(`offers "Sign in again" for an account signed in too long ago, refuses a switch into it until then, and \
signs it in again through the link flow, back where it was asked for`, async () => {
        const [alice, bob, carol] = await newUsers(db().orm, pair, 3);
        const person = new Browser(app.server, pair);
        await person.linkGroup(alice, [bob]);
        await ageSignIns(alice, 11);

        const row = (await accountsJson(person)).accounts.find((account: any) => account.id === idOf(alice));
        expect(row.signInAgainUrl).toMatch(/^\/link\/sign_in_again\//);
        await person.post(`/link/switch_to/${encodeURIComponent(idOf(alice))}`, 303);
        expect(await person.home()).toMatchObject({ current: idOf(bob), flash: { code: 'SIGN_IN_AGAIN_TO_SWITCH' } });
        // Someone outside the group is refused as before: the answer tells nothing about who signed in when.
        await person.post(`/link/switch_to/${encodeURIComponent(idOf(carol))}`, 303);
        expect((await person.home()).flash?.code).toBe('SWITCH_NOT_AUTHORIZED');

        const toSignIn = await person.get(`${row.signInAgainUrl}`).expect(302);
        const returnTo = new URL(toSignIn.headers.location!, 'http://x').searchParams.get('return_to')!;
        await person.signIn(alice, returnTo).expect(303);
        const back = await person.get(returnTo).expect(302);
        expect(back.headers.location).toBe('/');
        const home = await person.home();
        expect(home).toMatchObject({ current: idOf(alice), flash: { code: 'SIGNED_IN_AGAIN' } });
        expect(home.accounts.map(account => account.id)).toEqual([idOf(alice), idOf(bob)]);
        expect((await accountsJson(person)).accounts.every((account: any) => account.signInAgainUrl === null)).toBe(
          true,
        );
        // An account the predicate leaves out switches however long ago it signed in.
        exempt.add(idOf(bob));
        await ageSignIns(bob, 60);
        await person.post(`/link/switch_to/${encodeURIComponent(idOf(bob))}`, 303);
        expect((await person.home()).current).toBe(idOf(bob));
        await person.post(`/link/switch_to/${encodeURIComponent(idOf(alice))}`, 303);
        expect((await person.home()).current).toBe(idOf(alice));
      });

      it('guards a route by the acting account’s last sign-in on this browser (sudo mode)', async () => {
        const [alice] = await newUsers(db().orm, pair, 1);
        const person = new Browser(app.server, pair);
        await person.signIn(alice).expect(303);
        expect((await person.get('/settings').expect(200)).body).toEqual({ settings: true });
        await ageSignIns(alice, 6);
        const toSignIn = await person.get('/settings').expect(302);
        expect(toSignIn.headers.location).toBe(
          `/link/sign_in_again/${encodeURIComponent(idOf(alice))}?return_to=%2Fsettings`,
        );
        expect((await person.agent.post('/settings').expect(403)).body.signInAgainUrl).toBe(toSignIn.headers.location);
        const signInPage = await person.get(toSignIn.headers.location!).expect(302);
        const returnTo = new URL(signInPage.headers.location!, 'http://x').searchParams.get('return_to')!;
        await person.signIn(alice, returnTo).expect(303);
        expect((await person.get(returnTo).expect(302)).headers.location).toBe('/settings');
        expect((await person.get('/settings').expect(200)).body).toEqual({ settings: true });
      });

      it('asks a /u/N/ tab of an account signed in too long ago to sign in again, then serves it', async () => {
        const tabs = await startTestApp(db().orm, pair, {
          sessionStore: stores.store(`mma-fresh-tabs:${pair.label}:`),
          options: { reauthenticateAfter: 10 * minute, accountSelector: { pathPrefix: true } },
        });
        try {
          const [alice, bob] = await newUsers(db().orm, pair, 2);
          const person = new Browser(tabs.server, pair);
          await person.linkGroup(alice, [bob]);
          expect((await person.get('/u/0/').expect(200)).body.current).toBe(idOf(alice));
          await ageSignIns(alice, 11);
          const toSignIn = await person.get('/u/0/').expect(302);
          expect(toSignIn.headers.location).toBe(
            `/link/sign_in_again/${encodeURIComponent(idOf(alice))}?return_to=%2Fu%2F0%2F`,
          );
          const { csrfToken } = await person.home();
          const refused = await person.agent.post('/u/0/link/sign_out').type('form').send({ _csrf: csrfToken });
          const again = `/link/sign_in_again/${encodeURIComponent(idOf(alice))}?return_to=%2F`;
          expect([refused.status, refused.body.signInAgainUrl]).toEqual([403, again]);
          expect((await person.get('/u/1/').expect(200)).body.current).toBe(idOf(bob));
          const signInPage = await person.get(toSignIn.headers.location!).expect(302);
          const returnTo = new URL(signInPage.headers.location!, 'http://x').searchParams.get('return_to')!;
          await person.signIn(alice, returnTo).expect(303);
          expect((await person.get(returnTo).expect(302)).headers.location).toBe('/u/0/');
          expect((await person.get('/u/0/').expect(200)).body.current).toBe(idOf(alice));
          expect((await person.home()).accounts.map(account => account.id)).toEqual([idOf(alice), idOf(bob)]);
        } finally {
          await tabs.close();
        }
      });
    });
  },
  { serverPairs: ['default names'] },
);
