import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { eachDatabase } from '../support/matrix.ts';
import { pairsUnderTest } from '../support/pairs-under-test.ts';
import { createTestOrm, type TestOrm } from '../support/test-orm.ts';
import { newUsers as createUsers } from '../support/users.ts';

const pair = pairsUnderTest[0]!;

/** README "Security": a double click on any route does what one click does; the second request is redirected. */
eachDatabase(database => {
  for (const store of ['cookie', 'external'] as const) {
    describe(`with the ${store} session store`, () => {
      let db: TestOrm;
      let app: TestApp;
      beforeAll(async () => {
        db = await createTestOrm(database, pair.entities);
        app = await startTestApp(db.orm, pair, { externalStore: store === 'external' });
      });
      afterAll(async () => {
        await app?.close();
        await db?.close();
      });

      const idOf = (user: any) => String(user.id);
      const linkCount = (primary: any) => db.orm.em.fork().count(pair.linkClass, { primaryUser: primary.id } as never);

      /** The same form posted twice at once, as a double click sends it: both answered with a redirect, no 500. */
      async function doubleClick(person: Browser, path: string) {
        const { csrfToken } = await person.home();
        const twice = await Promise.all(
          [0, 1].map(() => person.agent.post(path).type('form').send({ _csrf: csrfToken })),
        );
        expect(
          twice.map(response => response.status),
          path,
        ).toEqual([303, 303]);
        return person.home();
      }

      async function group(size: number) {
        const [primary, ...linked] = await createUsers(db.orm, pair, size);
        const person = new Browser(app.server, pair);
        await person.linkGroup(primary, linked);
        return { person, primary, linked };
      }

      it('link', async () => {
        const [alice, bob] = await createUsers(db.orm, pair, 2);
        const person = new Browser(app.server, pair);
        await person.signIn(alice).expect(303);
        await person.get(`/link/p/${alice.id}`).expect(302);
        await person.signIn(bob, `/link/p/${alice.id}`).expect(303);
        expect(await doubleClick(person, `/link/p/${alice.id}`)).toMatchObject({
          current: idOf(bob),
          primary: idOf(alice),
          flash: { code: 'LINKED' },
        });
        expect(await linkCount(alice)).toBe(1);
      });

      it('switch', async () => {
        const { person, primary } = await group(2);
        expect(await doubleClick(person, `/link/switch_to/${primary.id}`)).toMatchObject({
          current: idOf(primary),
          flash: { code: 'SWITCHED' },
        });
      });

      it('unlink', async () => {
        const { person, primary, linked } = await group(3);
        await person.post(`/link/switch_to/${primary.id}`, 303);
        expect(await doubleClick(person, `/link/unlink/${linked[0].id}`)).toMatchObject({
          current: idOf(primary),
          flash: { code: 'UNLINKED' },
        });
        expect(await linkCount(primary)).toBe(1);
      });

      it('sign out of a linked account', async () => {
        const { person, primary } = await group(3);
        expect(await doubleClick(person, '/link/sign_out')).toMatchObject({
          current: idOf(primary),
          flash: { code: 'SIGNED_OUT_ACCOUNT' },
        });
        expect(await linkCount(primary)).toBe(1);
      });

      it('sign out of the primary, handing the group over', async () => {
        const { person, primary, linked } = await group(3);
        await person.post(`/link/switch_to/${primary.id}`, 303);
        const home = await doubleClick(person, '/link/sign_out');
        expect(home).toMatchObject({
          current: idOf(linked[0]),
          primary: idOf(linked[0]),
          flash: { code: 'SIGNED_OUT_ACCOUNT' },
        });
        expect(home.accounts.map(account => account.id)).toEqual([idOf(linked[0]), idOf(linked[1])]);
      });

      it('sign out of all', async () => {
        const { person, primary } = await group(2);
        expect(await doubleClick(person, '/link/sign_out_all')).toMatchObject({ current: null });
        expect(await linkCount(primary)).toBe(0);
      });
    });
  }
});
