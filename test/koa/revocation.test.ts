import { createClient } from 'redis';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisSessionStore, type RedisSessionClient } from '../../src/koa/index.ts';
import { Browser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { eachDatabaseAndPair, namingPairs } from '../support/matrix.ts';
import { dataStatements } from '../support/test-orm.ts';
import { newUsers as createUsers } from '../support/users.ts';

/**
 * README "Security": after any change of acting account or of the group, and after sign-out, every cookie
 * issued before it acts as nobody — with koa-session's cookie store as well as an external store.
 */
const redis = inject('redis');

eachDatabaseAndPair(
  ({ pair, db }) => {
    for (const store of ['cookie', 'external', 'redis'] as const) {
      const skipReason = store === 'redis' ? redis.skipReason : undefined;
      describe.skipIf(Boolean(skipReason))(
        `with the ${store} session store${skipReason ? ` — SKIPPED: ${skipReason}` : ''}`,
        () => {
          let app: TestApp;
          let secondInstance: TestApp;
          let redisClient: (RedisSessionClient & { quit(): Promise<unknown> }) | undefined;
          beforeAll(async () => {
            if (store === 'redis')
              redisClient = await createClient({ url: redis.url })
                .on('error', () => {})
                .connect();
            const sessionStore = redisClient && redisSessionStore(redisClient, { prefix: `mma-test:${pair.label}:` });
            const instance = () => startTestApp(db().orm, pair, { externalStore: store === 'external', sessionStore });
            app = await instance();
            // Another instance on the same database and signing keys (and, with Redis, the same sessions).
            secondInstance =
              store === 'external' ? await startTestApp(db().orm, pair, { sessionStore: app.store }) : await instance();
          });
          afterAll(async () => {
            await app?.close();
            await secondInstance?.close();
            await redisClient?.quit();
          });

          const idOf = (user: any) => String(user[pair.userId]);
          const path = {
            link: (user: any) => `/link/p/${encodeURIComponent(idOf(user))}`,
            switchTo: (user: any) => `/link/switch_to/${encodeURIComponent(idOf(user))}`,
            unlink: (user: any) => `/link/unlink/${encodeURIComponent(idOf(user))}`,
          };
          const linksOf = (primary: any) =>
            db()
              .orm.em.fork()
              .count(pair.linkClass, { [pair.names.primary]: idOf(primary) } as never);

          /** Alice's browser with bob linked (bob acting), and the cookies it held along the way. */
          async function aliceAndBob() {
            const [alice, bob, carol] = await createUsers(db().orm, pair, 3);
            const person = new Browser(app.server, pair);
            await person.linkGroup(alice, [bob]);
            return { alice, bob, carol, person };
          }

          /**
           * Replays `cookie` as someone who kept a copy would: it must be nobody, and nothing it tries — switching,
           * unlinking, re-linking through a fresh link token, signing out — may change anything.
           */
          async function expectActsAsNobody(cookie: string, group: { alice: any; bob: any; carol: any }) {
            const replay = (request: supertest.Test) =>
              request.set('cookie', cookie).set('sec-fetch-site', 'same-origin');
            const thief = supertest(app.server);
            await replay(thief.get('/link/accounts')).expect(401);
            const home = (await replay(thief.get('/')).expect(200)).body;
            expect(home).toMatchObject({ current: null, primary: null, accounts: [] });
            const links = await linksOf(group.alice);
            for (const target of [
              path.switchTo(group.alice),
              path.switchTo(group.bob),
              path.unlink(group.bob),
              path.link(group.alice),
              path.link(group.carol),
              '/link/sign_out',
              '/link/sign_out_all',
            ]) {
              await replay(thief.get(target));
              const response = await replay(thief.post(target)).type('form').send({ _csrf: home.csrfToken });
              // Sent on to where the newer cookie went, with nothing done and nothing written.
              expect(response.status, target).toBe(303);
              expect(response.headers.location, target).toBe('/');
              expect(response.headers['set-cookie'], target).toBeUndefined();
            }
            expect(await linksOf(group.alice)).toBe(links);
          }

          const cookieOf = (person: Browser) => person.cookieHeader();
          /**
           * The browser's next request, with the cookie the change gave it: until then the cookie just before stays
           * good (a lost answer must not sign the browser out; see "a lost answer" below), from then on never.
           */
          const presentNewest = (person: Browser) => person.home();

          it('after a switch', async () => {
            const group = await aliceAndBob();
            const before = cookieOf(group.person);
            await group.person.post(path.switchTo(group.alice), 303);
            await presentNewest(group.person);
            await expectActsAsNobody(before, group);
            expect(await group.person.home()).toMatchObject({ current: idOf(group.alice), primary: idOf(group.alice) });
          });

          it('after a switch on another instance', async () => {
            const group = await aliceAndBob();
            const before = cookieOf(group.person);
            const elsewhere = new Browser(secondInstance.server, pair);
            elsewhere.plantCookies(before); // the same browser, its next request served by the other instance
            await elsewhere.post(path.switchTo(group.alice), 303);
            await presentNewest(elsewhere);
            await expectActsAsNobody(before, group);
            expect(await elsewhere.home()).toMatchObject({ current: idOf(group.alice), primary: idOf(group.alice) });
          });

          it('after a link', async () => {
            const [alice, bob, carol] = await createUsers(db().orm, pair, 3);
            const person = new Browser(app.server, pair);
            await person.signIn(alice).expect(303);
            await person.get(path.link(alice)).expect(302);
            await person.signIn(bob, path.link(alice)).expect(303);
            const before = cookieOf(person);
            await person.post(path.link(alice), 303);
            await presentNewest(person);
            await expectActsAsNobody(before, { alice, bob, carol });
            expect(await person.home()).toMatchObject({ current: idOf(bob), primary: idOf(alice) });
          });

          it('after an unlink, and the removed account cannot link itself back with its old cookie', async () => {
            const group = await aliceAndBob();
            const bobsCookie = cookieOf(group.person);
            await group.person.post(path.switchTo(group.alice), 303);
            const before = cookieOf(group.person);
            await group.person.post(path.unlink(group.bob), 303);
            await presentNewest(group.person);
            await expectActsAsNobody(before, group);
            await expectActsAsNobody(bobsCookie, group);
            expect(await linksOf(group.alice)).toBe(0);
            expect((await group.person.home()).accounts.map(account => account.id)).toEqual([idOf(group.alice)]);
          });

          it('after signing out of one account, the one that left and the one handed over to', async () => {
            const group = await aliceAndBob();
            const before = cookieOf(group.person);
            await group.person.post('/link/sign_out', 303);
            await presentNewest(group.person);
            await expectActsAsNobody(before, group);
            expect(await group.person.home()).toMatchObject({ current: idOf(group.alice), primary: idOf(group.alice) });
            // The primary leaves too: the group is handed over; alice's cookie is worthless afterwards.
            await group.person.linkGroup(group.alice, [group.bob]);
            await group.person.post(path.switchTo(group.alice), 303);
            const alicesCookie = cookieOf(group.person);
            await group.person.post('/link/sign_out', 303);
            await presentNewest(group.person);
            await expectActsAsNobody(alicesCookie, group);
            expect(await group.person.home()).toMatchObject({ current: idOf(group.bob), primary: idOf(group.bob) });
          });

          it("after signing out of all accounts, and after the app's own sign-out", async () => {
            const group = await aliceAndBob();
            const before = cookieOf(group.person);
            await group.person.post('/link/sign_out_all', 303);
            await expectActsAsNobody(before, group);
            expect(await group.person.home()).toMatchObject({ current: null });

            await group.person.signIn(group.carol).expect(303);
            const carols = cookieOf(group.person);
            await group.person.post('/sign-out', 302);
            await expectActsAsNobody(carols, group);
            expect(await group.person.home()).toMatchObject({ current: null });
          });

          it('after a fallback', async () => {
            const group = await aliceAndBob();
            const before = cookieOf(group.person);
            const em = db().orm.em.fork();
            pair.setActive(await em.findOneOrFail(pair.userClass, idOf(group.bob)), false);
            await em.flush();
            expect(await group.person.home()).toMatchObject({ current: idOf(group.alice) });
            await presentNewest(group.person);
            await expectActsAsNobody(before, group);
            expect(await group.person.home()).toMatchObject({ current: idOf(group.alice), primary: idOf(group.alice) });
          });

          it('after someone else signs in on the same browser', async () => {
            const [alice, bob, carol] = await createUsers(db().orm, pair, 3);
            const person = new Browser(app.server, pair);
            await person.signIn(alice).expect(303);
            const alicesCookie = cookieOf(person);
            await person.signIn(carol).expect(303);
            await expectActsAsNobody(alicesCookie, { alice, bob, carol });
            expect(await person.home()).toMatchObject({ current: idOf(carol), primary: null });
          });

          it('checks the cookie inside the one statement that loads the accounts', async () => {
            const group = await aliceAndBob();
            for (const page of ['/a-page-without-switcher', '/a-page-without-switcher']) {
              db().queries.length = 0;
              await group.person.get(page).expect(404);
              const statements = dataStatements(db().queries);
              expect(statements).toHaveLength(1);
              expect(statements[0]).toMatch(/multi_account_session/);
            }
          });
        },
      );
    }
  },
  { serverPairs: namingPairs },
);
