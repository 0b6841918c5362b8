import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { eachDatabaseAndPair } from '../support/matrix.ts';
import { newUsers as createUsers } from '../support/users.ts';

/** README "Security": signing in renews the session, so a session planted before sign-in is worth nothing. */
eachDatabaseAndPair(({ pair, db }) => {
  for (const store of ['cookie', 'external'] as const) {
    describe(`with the ${store} session store`, () => {
      let app: TestApp;
      beforeAll(async () => {
        app = await startTestApp(db().orm, pair, { externalStore: store === 'external' });
      });
      afterAll(() => app?.close());

      const idOf = (user: any) => String(user[pair.userId]);
      const linkPath = (user: any) => `/link/p/${encodeURIComponent(idOf(user))}`;

      it('renews the session id at sign-in and keeps nothing of the planted session', async () => {
        const [alice] = await createUsers(db().orm, pair, 1);
        const attacker = new Browser(app.server, pair);
        const attackersToken = (await attacker.home()).csrfToken; // an anonymous session with a CSRF secret
        const planted = attacker.cookieHeader();
        const victim = new Browser(app.server, pair);
        victim.plantCookies(planted);
        await victim.signIn(alice).expect(303);
        expect(victim.cookieHeader()).not.toBe(planted);
        if (app.store) expect(app.store.sessions.has(attacker.sessionCookie()!)).toBe(false);
        // The attacker's copy is nobody, and its CSRF token is no good in the victim's new session.
        expect(await attacker.home()).toMatchObject({ current: null });
        await victim.home(); // the new session's own CSRF secret
        await victim.post('/link/sign_out', 403, attackersToken);
        expect(await victim.home()).toMatchObject({ current: idOf(alice) });
      });

      it('lets a link being added carry over only once: a planted copy of it can never join the group', async () => {
        const [victimUser, mallory, accomplice] = await createUsers(db().orm, pair, 3);
        // Mallory starts adding an account, then plants her session on the victim's browser.
        const attacker = new Browser(app.server, pair);
        await attacker.signIn(mallory).expect(303);
        await attacker.get(linkPath(mallory)).expect(302);
        const victim = new Browser(app.server, pair);
        victim.plantCookies(attacker.cookieHeader());
        // The victim signs in, and even (the worst case) confirms the link Mallory prepared.
        await victim.signIn(victimUser, linkPath(mallory)).expect(303);
        await victim.post(linkPath(mallory), 303);
        expect(await victim.home()).toMatchObject({ current: idOf(victimUser), primary: idOf(mallory) });
        // Mallory's copy signs in as her accomplice: it starts afresh, outside the victim's group.
        await attacker.signIn(accomplice, linkPath(mallory)).expect(303);
        expect(await attacker.home()).toMatchObject({ current: idOf(accomplice), primary: null });
        await attacker.post(linkPath(mallory), 303);
        expect((await attacker.home()).flash?.code).toBe('LINK_NOT_STARTED');
        await attacker.post(`/link/switch_to/${encodeURIComponent(idOf(victimUser))}`, 303);
        expect(await attacker.home()).toMatchObject({ current: idOf(accomplice) });
        // Signing in as Mallory herself does not bring the group back either.
        await attacker.signIn(mallory).expect(303);
        await attacker.post(`/link/switch_to/${encodeURIComponent(idOf(victimUser))}`, 303);
        expect(await attacker.home()).toMatchObject({ current: idOf(mallory) });
        expect((await attacker.home()).accounts.map(account => account.id)).toEqual([idOf(mallory)]);
      });
    });
  }
});
