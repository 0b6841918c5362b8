import supertest from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RequestContext } from '@mikro-orm/core';
import type { Middleware } from 'koa';
import { listBrowserSessions, revokeAccount } from '../../src/index.ts';
import { browserSessionId, getUserId } from '../../src/koa/index.ts';
import { MultiAccountSessionAccount } from '../../src/transformers/session-account-entity.ts';
import { Browser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { eachDatabaseAndPair } from '../support/matrix.ts';
import { eachSessionStore } from '../support/session-stores.ts';
import { newUsers } from '../support/users.ts';

/**
 * README "Your devices": the server knows every browser session an account is signed in on, whatever its role
 * there, and the app can end them all — on every database, with the cookie store and Redis, on two instances.
 */
eachDatabaseAndPair(
  ({ pair, db }) => {
    eachSessionStore(stores => {
      let app: TestApp;
      let other: TestApp;
      beforeAll(async () => {
        const sessionStore = stores.store(`mma-devices:${pair.label}:`);
        app = await startTestApp(db().orm, pair, { sessionStore });
        other = await startTestApp(db().orm, pair, { sessionStore });
      });
      afterAll(async () => {
        await app?.close();
        await other?.close();
      });

      const idOf = (user: any) => String(user[pair.userId]);
      const sessionsOf = (user: any) =>
        listBrowserSessions(db().orm.em.fork(), user[pair.userId], { userEntity: pair.userClass as never });
      /** What a browser's page shows: who acts, and the switcher's accounts. */
      const shows = async (person: Browser) => {
        const home = await person.home();
        return { current: home.current, accounts: home.accounts.map(account => account.id) };
      };

      it(`lists an account's browser sessions in every role, and revoking it leaves each as its role says: alone \
signed out, linked unlinked, primary handed over, acting fallen back; no copy of a cookie acts as it`, async () => {
        const [alice, bob, carol, dave] = await newUsers(db().orm, pair, 4);
        const alone = new Browser(app.server, pair);
        await alone
          .signIn(alice)
          .set('user-agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0')
          .expect(303);
        const linkedActing = new Browser(app.server, pair);
        await linkedActing.linkGroup(bob, [alice]);
        // Away and back: on PostgreSQL the record then names bob (a switch settled after the loader's statement).
        await linkedActing.post(`/link/switch_to/${encodeURIComponent(idOf(bob))}`, 303);
        await linkedActing.post(`/link/switch_to/${encodeURIComponent(idOf(alice))}`, 303);
        const primaryActing = new Browser(app.server, pair);
        await primaryActing.linkGroup(alice, [carol]);
        await primaryActing.post(`/link/switch_to/${encodeURIComponent(idOf(alice))}`, 303);
        const linkedIdle = new Browser(app.server, pair);
        await linkedIdle.linkGroup(dave, [alice]);
        await linkedIdle.post(`/link/switch_to/${encodeURIComponent(idOf(dave))}`, 303);

        const listed = await sessionsOf(alice);
        expect(listed.map(session => session.role)).toEqual(['linked', 'primary', 'linked', 'only']);
        expect(listed.at(-1)!.device).toBe('Firefox on Linux');
        for (const { ipAddress, signedInAt, lastUsedAt } of listed) {
          expect(ipAddress).toBeNull();
          expect(Math.abs(Date.now() - signedInAt.getTime())).toBeLessThan(60_000);
          expect(lastUsedAt!.getTime()).toBeGreaterThanOrEqual(signedInAt.getTime() - 1000);
        }
        const copies = [alone, linkedActing, primaryActing, linkedIdle].map(person => person.cookieHeader());

        expect(
          await revokeAccount(db().orm.em.fork(), alice[pair.userId], { userEntity: pair.userClass as never }),
        ).toBe(4);
        expect(await sessionsOf(alice)).toEqual([]);
        expect(await shows(alone)).toEqual({ current: null, accounts: [] });
        expect(await shows(linkedActing)).toEqual({ current: idOf(bob), accounts: [idOf(bob)] });
        expect(await shows(primaryActing)).toEqual({ current: idOf(carol), accounts: [idOf(carol)] });
        expect(await shows(linkedIdle)).toEqual({ current: idOf(dave), accounts: [idOf(dave)] });
        // The others keep their own sessions: bob's, carol's and dave's lists still show one each.
        for (const user of [bob, carol, dave]) expect(await sessionsOf(user)).toHaveLength(1);
        // Every copy taken before, on either instance, acts as somebody else or nobody — never as alice.
        for (const copy of copies) {
          for (const instance of [app, other]) {
            const home = await supertest(instance.server).get('/').set('cookie', copy).expect(200);
            expect(home.body.current).not.toBe(idOf(alice));
            const accounts = await supertest(instance.server).get('/link/accounts').set('cookie', copy);
            expect(JSON.stringify(accounts.body.accounts ?? [])).not.toContain(`"id":"${idOf(alice)}"`);
          }
        }
      });

      it(`GET /link/devices lists the acting account's browsers; a POST signs one out, or all but this one, \
with this session's CSRF token and only for the account the page was made for`, async () => {
        const [alice, bob] = await newUsers(db().orm, pair, 2);
        const laptop = new Browser(app.server, pair);
        await laptop.linkGroup(alice, [bob]);
        await laptop.post(`/link/switch_to/${encodeURIComponent(idOf(alice))}`, 303);
        const phone = new Browser(other.server, pair);
        await phone.signIn(alice).expect(303);
        const tablet = new Browser(app.server, pair);
        await tablet.signIn(alice).expect(303);
        const devices = async (person: Browser) =>
          (await person.agent.get('/link/devices').set('accept', 'application/json').expect(200)).body;
        await supertest(app.server).get('/link/devices').set('accept', 'application/json').expect(401);

        const listed = await devices(laptop);
        expect(listed.sessions.map((session: any) => [session.role, session.current])).toEqual([
          ['only', false],
          ['only', false],
          ['primary', true],
        ]);
        const [tabletId, phoneId] = listed.sessions.map((session: any) => session.id);
        // Without this session's token, or from a page made for alice once bob acts: nothing happens.
        await laptop.post(`/link/devices/${tabletId}/sign_out`, 403, null);
        const alicesPage = (await laptop.home()).csrfToken;
        await laptop.post(`/link/switch_to/${encodeURIComponent(idOf(bob))}`, 303);
        await laptop.post(`/link/devices/${tabletId}/sign_out`, 409, alicesPage);
        await laptop.post(`/link/switch_to/${encodeURIComponent(idOf(alice))}`, 303);
        expect((await devices(laptop)).sessions).toHaveLength(3);

        await laptop.post(`/link/devices/${tabletId}/sign_out`, 303);
        expect((await laptop.home()).flash?.code).toBe('DEVICE_SIGNED_OUT');
        expect((await tablet.home()).current).toBeNull();
        expect((await phone.home()).current).toBe(idOf(alice));
        await laptop.post(`/link/devices/${tabletId}/sign_out`, 303);
        expect((await laptop.home()).flash?.code).toBe('DEVICE_NOT_FOUND');

        await tablet.signIn(alice).expect(303);
        await laptop.post('/link/devices/sign_out_others', 303);
        expect((await laptop.home()).flash?.code).toBe('OTHER_DEVICES_SIGNED_OUT');
        expect((await phone.home()).current).toBeNull();
        expect((await tablet.home()).current).toBeNull();
        expect(await shows(laptop)).toEqual({ current: idOf(alice), accounts: [idOf(alice), idOf(bob)] });
        expect((await devices(laptop)).sessions).toHaveLength(1);
        expect(phoneId).not.toBe(tabletId);
      });

      it(`keeps an account on at most devices.maxPerAccount browsers, leaving the least recently used; the \
password-change recipe signs every other browser out`, async () => {
        const [alice] = await newUsers(db().orm, pair, 1);
        // The README's recipe: a password change keeps this browser and signs the account out everywhere else.
        const changePassword: Middleware = async (ctx, next) => {
          if (ctx.path !== '/password' || ctx.method !== 'POST') return next();
          await revokeAccount(RequestContext.getEntityManager()!, getUserId(ctx)!, { except: browserSessionId(ctx) });
          ctx.status = 204;
        };
        const limited = await startTestApp(db().orm, pair, {
          sessionStore: stores.store(`mma-devices-max:${pair.label}:`),
          options: { devices: { maxPerAccount: 2 } },
          afterLoader: [changePassword],
        });
        try {
          const browsers = [0, 1, 2].map(() => new Browser(limited.server, pair));
          for (const person of browsers) await person.signIn(alice).expect(303);
          expect((await sessionsOf(alice)).map(session => session.id)).toHaveLength(2);
          expect((await browsers[0]!.home()).current).toBeNull();
          expect((await browsers[1]!.home()).current).toBe(idOf(alice));
          await browsers[2]!.agent.post('/password').expect(204);
          expect((await browsers[1]!.home()).current).toBeNull();
          expect((await browsers[2]!.home()).current).toBe(idOf(alice));
          expect(await sessionsOf(alice)).toHaveLength(1);
          // A browser session that ends takes its sign-ins with it (the foreign key cascades), on every database.
          await browsers[2]!.post('/sign-out', 302);
          const signIns = await db()
            .orm.em.fork()
            .count(MultiAccountSessionAccount, { userId: idOf(alice) });
          expect(signIns).toBe(0);
        } finally {
          await limited.close();
        }
      });
    });
  },
  { serverPairs: ['default names'] },
);
