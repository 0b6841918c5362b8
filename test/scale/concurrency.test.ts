import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LinkedAccount, User } from '../fixtures/default-entities.ts';
import { Browser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { pairsUnderTest } from '../support/pairs-under-test.ts';
import { createTestOrm, type TestOrm } from '../support/test-orm.ts';
import { newUsers as createUsers } from '../support/users.ts';

const postgres = inject('databases').find(database => database.name === 'postgresql')!;
const pair = pairsUnderTest[0]!; // max 3 links per group

describe.skipIf(Boolean(postgres.skipReason))(
  `parallel link and switch requests on PostgreSQL${postgres.skipReason ? ` — SKIPPED: ${postgres.skipReason}` : ''}`,
  () => {
    let db: TestOrm;
    let app: TestApp;
    beforeAll(async () => {
      db = await createTestOrm('postgresql', [User, LinkedAccount], { pool: { max: 10 } });
      app = await startTestApp(db.orm, pair, { externalStore: true });
    });
    afterAll(async () => {
      await app?.close();
      await db?.close();
    });

    const newUsers = (count: number): Promise<User[]> => createUsers(db.orm, pair, count);
    const linkPath = (user: User) => `/link/p/${user.id}`;

    it('stores one link when the same browser posts it 20 times at once, and keeps the session', async () => {
      const [alice, bob] = await newUsers(2);
      const person = new Browser(app.server, pair);
      await person.signIn(alice).expect(303);
      await person.get(linkPath(alice)).expect(302);
      await person.signIn(bob, linkPath(alice)).expect(303);
      const { csrfToken } = await person.home();
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => person.agent.post(linkPath(alice)).type('form').send({ _csrf: csrfToken })),
      );
      // One request links; each other one, its cookie replaced meanwhile, changes nothing, writes no cookie over the
      // browser's good one, and goes where the first went.
      expect(responses.map(response => response.status)).toEqual(responses.map(() => 303));
      expect(responses.filter(response => response.headers['set-cookie']).length).toBe(1);
      expect(await db.orm.em.fork().count(LinkedAccount, { primaryUser: alice.id })).toBe(1);
      expect(await person.home()).toMatchObject({ current: String(bob.id), primary: String(alice.id) });
    });

    // In a header (the switcher element's way) the loader's statement runs the compare-and-set; as a form, the route.
    for (const tokenIn of ['form', 'header'] as const) {
      it(`switches once when the same browser posts a switch 30 times at once (token in a ${tokenIn}), \
and keeps a working session`, async () => {
        const [alice, bob] = await newUsers(2);
        const person = new Browser(app.server, pair);
        await person.signIn(alice).expect(303);
        await person.get(linkPath(alice)).expect(302);
        await person.signIn(bob, linkPath(alice)).expect(303);
        await person.post(linkPath(alice), 303);
        const { csrfToken, current } = await person.home();
        expect(current).toBe(String(bob.id));
        const post = () => person.agent.post(`/link/switch_to/${alice.id}`);
        const responses = await Promise.all(
          Array.from({ length: 30 }, () =>
            tokenIn === 'form' ? post().type('form').send({ _csrf: csrfToken }) : post().set('x-csrf-token', csrfToken),
          ),
        );
        // One switches; each other one, its cookie replaced meanwhile, changes nothing, writes no cookie over the
        // browser's good one, and goes where the first went.
        expect(responses.map(response => response.status)).toEqual(responses.map(() => 303));
        expect(responses.filter(response => response.headers['set-cookie']).length).toBe(1);
        const home = await person.home();
        expect(home.current).toBe(String(alice.id));
        expect(home.flash?.code).toBe('SWITCHED');
        expect(home.primary).toBe(String(alice.id));
        expect(home.accounts.map(account => account.id)).toEqual([String(alice.id), String(bob.id)]);
      });
    }

    it('holds the maximum in every group when many browsers link at the same time', async () => {
      const [alice, ...others] = await newUsers(1 + pair.max + 1);
      const browsers = Array.from({ length: 8 }, () => new Browser(app.server, pair));
      await Promise.all(
        browsers.map(async person => {
          await person.signIn(alice).expect(303);
          for (const other of others) {
            await person.get((await person.home()).addAccountUrl!).expect(302); // "Add another account"
            await person.signIn(other, linkPath(alice)).expect(303);
            await person.post(linkPath(alice), 303);
          }
          const home = await person.home();
          expect(home.flash?.code).toBe('MAX_LINKED_ACCOUNTS');
          expect(home.accounts).toHaveLength(1 + pair.max);
        }),
      );
      const rows = await db.orm.em.fork().find(LinkedAccount, { primaryUser: alice.id });
      expect(rows).toHaveLength(browsers.length * pair.max);
      expect(new Set(rows.map(row => `${row.linkedUser.id}-${row.sessionToken}`)).size).toBe(rows.length);
      expect(new Set(rows.map(row => row.sessionToken)).size).toBe(browsers.length);
    });
  },
);
