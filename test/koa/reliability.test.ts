import { ConnectionException, type EventSubscriber } from '@mikro-orm/core';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisSessionStore, type RedisSessionClient } from '../../src/koa/index.ts';
import { Browser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { eachDatabaseAndPair } from '../support/matrix.ts';
import { newUsers as createUsers } from '../support/users.ts';

/**
 * No 500 and no browser signed out by accident: a change of acting account or group happens whole or not at all,
 * a group whose primary went leaves nothing behind to trip a later one, and a refused "Add another account" goes
 * back to the account that pressed it.
 */
const redis = inject('redis');

eachDatabaseAndPair(({ pair, db }) => {
  for (const store of ['cookie', 'redis'] as const) {
    const skipReason = store === 'redis' ? redis.skipReason : undefined;
    describe.skipIf(Boolean(skipReason))(
      `with the ${store} session store${skipReason ? ` — SKIPPED: ${skipReason}` : ''}`,
      () => {
        let app: TestApp;
        let redisClient: (RedisSessionClient & { quit(): Promise<unknown> }) | undefined;
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
          if (store === 'redis') redisClient = await createClient({ url: redis.url }).connect();
          const sessionStore =
            redisClient && redisSessionStore(redisClient, { prefix: `mma-reliability:${pair.label}:` });
          db().orm.em.getEventManager().registerSubscriber(outage);
          app = await startTestApp(db().orm, pair, { sessionStore });
        });
        afterAll(async () => {
          await app?.close();
          await redisClient?.quit();
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

        it('takes a refused "Add another account" back to the account that pressed it, the group as it was', async () => {
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
      },
    );
  }
});
