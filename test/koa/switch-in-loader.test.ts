import supertest from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Browser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { eachDatabaseAndPair } from '../support/matrix.ts';
import { newUsers } from '../support/users.ts';

/**
 * On PostgreSQL a switch whose CSRF token is at hand runs its compare-and-set in the loader's statement, before
 * the route. What the route decides must still decide: a switch without a valid token moves nothing, and one
 * the app's own middleware stops after the loader leaves the browser acting as before, still signed in.
 */
eachDatabaseAndPair(({ pair, db }) => {
  let app: TestApp;
  beforeAll(async () => {
    // The app's own rule between the loader and the routes: switching to a "frozen" id is not allowed today.
    const frozenSwitches = async (ctx: { path: string; status: number; body: unknown }, next: () => Promise<void>) => {
      if (ctx.path.includes('/switch_to/') && frozen.has(decodeURIComponent(ctx.path.split('/').at(-1)!))) {
        ctx.status = 403;
        ctx.body = 'Not today.';
        return;
      }
      await next();
    };
    app = await startTestApp(db().orm, pair, { afterLoader: [frozenSwitches as never] });
  });
  afterAll(() => app?.close());
  const frozen = new Set<string>();
  const idOf = (user: any) => String(user[pair.userId]);
  const switchPath = (user: any) => `/link/switch_to/${encodeURIComponent(idOf(user))}`;

  async function aliceWithBobActing() {
    const [alice, bob] = await newUsers(db().orm, pair, 2);
    const person = new Browser(app.server, pair);
    await person.linkGroup(alice, [bob]);
    expect((await person.home()).current).toBe(idOf(bob));
    return { alice, bob, person };
  }

  it('moves nothing on a switch without a valid CSRF token: a copy of the cookie taken before still acts', async () => {
    const { alice, bob, person } = await aliceWithBobActing();
    const copy = person.cookieHeader();
    const other = new Browser(app.server, pair);
    const strangersToken = (await other.home()).csrfToken;
    for (const token of [null, 'forged', strangersToken]) {
      await person.post(switchPath(alice), 403, token);
      await person.agent
        .post(switchPath(alice))
        .set('x-csrf-token', token ?? '')
        .expect(403);
    }
    const asCopy = await supertest(app.server).get('/').set('cookie', copy).expect(200);
    expect(asCopy.body.current).toBe(idOf(bob));
    expect((await person.home()).current).toBe(idOf(bob));
  });

  it(`leaves the browser acting as before, still signed in, \
when the app's middleware stops a switch after the loader`, async () => {
    const { alice, bob, person } = await aliceWithBobActing();
    frozen.add(idOf(alice));
    const { csrfToken } = await person.home();
    await person.agent.post(switchPath(alice)).set('x-csrf-token', csrfToken).expect(403, 'Not today.');
    const after = await person.home();
    expect([after.current, after.primary]).toEqual([idOf(bob), idOf(alice)]);
    expect(after.accounts.map(account => account.id).sort()).toEqual([idOf(alice), idOf(bob)].sort());
    // Nothing stuck half-way: once allowed, the same switch goes through.
    frozen.delete(idOf(alice));
    await person.post(switchPath(alice), 303);
    expect((await person.home()).current).toBe(idOf(alice));
  });
});
