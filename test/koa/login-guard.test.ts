import { afterAll, beforeAll, expect, it } from 'vitest';
import { Browser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { eachDatabaseAndPair } from '../support/matrix.ts';
import { newUsers as createUsers } from '../support/users.ts';

/** README "Adding an account through a login guard". */
eachDatabaseAndPair(({ pair, db }) => {
  const calls: [string | null, string | null][] = [];
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(db().orm, pair, {
      options: {
        signInPath: (_ctx, primaryUserId, returnTo) => {
          calls.push([primaryUserId, returnTo]);
          return returnTo ? `/guarded-sign-in?next=${encodeURIComponent(returnTo)}` : '/guarded-sign-in';
        },
      },
    });
  });
  afterAll(() => app?.close());
  const idOf = (user: any) => String(user[pair.userId]);

  it(`lets an add-account visit through the guard, \
and hands a custom signInPath the link URL to return to`, async () => {
    const [alice, bob] = await createUsers(db().orm, pair, 2);
    const person = new Browser(app.server, pair);
    const linkPath = `/link/p/${encodeURIComponent(idOf(alice))}`;
    await person.get('/guarded-sign-in').expect(200, { returnTo: null }); // nobody signed in: the page shows
    await person.signIn(alice).expect(303);
    await person.get('/guarded-sign-in').expect(302).expect('location', '/'); // signed in: sent home

    calls.length = 0;
    const started = await person.get(linkPath).expect(302);
    expect(started.headers.location).toBe(`/guarded-sign-in?next=${encodeURIComponent(linkPath)}`);
    expect(calls).toEqual([[idOf(alice), linkPath]]);
    await person.get('/guarded-sign-in').expect(200, { returnTo: linkPath }); // adding an account: let through
    await person.signIn(bob, linkPath).expect(303);
    await person.post(linkPath, 303);
    expect(await person.home()).toMatchObject({
      current: idOf(bob),
      primary: idOf(alice),
      addAccountUrl: `/link/p/${encodeURIComponent(idOf(bob))}`, // through the link route, to the page above
    });
  });
});
