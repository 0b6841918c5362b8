import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Browser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { eachDatabaseAndPair } from '../support/matrix.ts';
import { dataStatements } from '../support/test-orm.ts';
import { compiledQueries } from '../../src/actions/sql/declare-statement.ts';
import { newUsers as createUsers } from '../support/users.ts';

eachDatabaseAndPair(({ database, pair, db }) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(db().orm, pair);
  });
  afterAll(() => app?.close());

  const idOf = (user: any) => String(user[pair.userId]);
  const browser = () => new Browser(app.server, pair);
  const newUsers = (count: number) => createUsers(db().orm, pair, count);

  /** Signs in as `primary` and links each of `others`, as a person clicking "add account" would. */
  async function linkAll(person: Browser, primary: any, others: any[]) {
    await person.signIn(primary).expect(303);
    const linkPath = `/link/p/${encodeURIComponent(idOf(primary))}`;
    const signInPath = `/sign-in?return_to=${encodeURIComponent(linkPath)}`;
    for (const other of others) {
      const { addAccountUrl, current } = await person.home();
      // "Add another account" is the link route of the acting account; from a linked account too, it sends to
      // the sign-in page for the group's primary.
      expect(addAccountUrl).toBe(`/link/p/${encodeURIComponent(current!)}`);
      expect((await person.get(addAccountUrl!).expect(302)).headers.location).toBe(signInPath);
      const signedIn = await person.signIn(other, linkPath).expect(303);
      expect(signedIn.headers.location).toBe(linkPath);
      const page = await person.get(linkPath).expect(200);
      expect(page.text).toContain(`action="${linkPath}"`);
      await person.post(linkPath, 303);
      expect((await person.home()).flash?.code).toBe('LINKED');
    }
  }

  it('links an account, switches to the primary and back, telling who is signed in each time', async () => {
    const [alice, bob] = await newUsers(2);
    const person = browser();
    await person.signIn(alice).expect(303);
    const standard = await person.home();
    expect(standard).toMatchObject({
      current: idOf(alice),
      primary: null,
      addAccountUrl: `/link/p/${encodeURIComponent(idOf(alice))}`,
    });
    expect(standard.accounts).toEqual([
      {
        id: idOf(alice),
        label: expect.any(String),
        current: true,
        primary: true,
        switchUrl: `/link/switch_to/${encodeURIComponent(idOf(alice))}`,
      },
    ]);

    const linkPath = `/link/p/${encodeURIComponent(idOf(alice))}`;
    const setup = await person.get(linkPath).expect(302);
    expect(setup.headers.location).toBe(`/sign-in?return_to=${encodeURIComponent(linkPath)}`);
    expect((await person.home()).flash).toMatchObject({
      code: 'SIGN_IN_TO_ADD',
      message: 'Sign in to the account you want to add.',
    });

    await person.signIn(bob, linkPath).expect(303);
    const page = await person.get(linkPath).expect(200).expect('content-type', /html/);
    expect(page.text).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
    expect(page.text).toContain('<noscript><button type="submit">Link account</button></noscript>');
    const linked = await person.post(linkPath, 303);
    expect(linked.headers.location).toBe('/');

    const afterLink = await person.home();
    expect(afterLink).toMatchObject({
      current: idOf(bob),
      primary: idOf(alice),
      flash: { code: 'LINKED', message: 'Account successfully linked!' },
    });
    expect(afterLink.accounts.map(({ id, current, primary }) => ({ id, current, primary }))).toEqual([
      { id: idOf(alice), current: false, primary: true },
      { id: idOf(bob), current: true, primary: false },
    ]);

    const confirm = await person.get(afterLink.accounts[0]!.switchUrl).expect(200);
    expect(confirm.text).toContain(`action="${afterLink.accounts[0]!.switchUrl}"`);
    await person.post(afterLink.accounts[0]!.switchUrl, 303);
    expect(await person.home()).toMatchObject({
      current: idOf(alice),
      primary: idOf(alice),
      flash: { code: 'SWITCHED' },
    });

    await person.post(`/link/switch_to/${encodeURIComponent(idOf(bob))}`, 303);
    expect(await person.home()).toMatchObject({ current: idOf(bob), primary: idOf(alice) });
  });

  it('adds more accounts to the same group from a linked account, up to the maximum', async () => {
    const users = await newUsers(pair.max + 2);
    const [alice, ...others] = users;
    const person = browser();
    await linkAll(person, alice, others.slice(0, pair.max));
    const home = await person.home();
    expect(home.accounts.map(account => account.id)).toEqual([alice, ...others.slice(0, pair.max)].map(idOf));
    // "Add another account" from a linked account goes through its link route to sign-in for the same primary.
    const linkPath = `/link/p/${encodeURIComponent(idOf(alice))}`;
    expect(home.addAccountUrl).toBe(`/link/p/${encodeURIComponent(home.current!)}`);
    const toSignIn = await person.get(home.addAccountUrl!).expect(302);
    expect(toSignIn.headers.location).toBe(`/sign-in?return_to=${encodeURIComponent(linkPath)}`);
    await person.signIn(others[pair.max], linkPath).expect(303);
    await person.post(linkPath, 303);
    expect((await person.home()).flash).toMatchObject({ code: 'MAX_LINKED_ACCOUNTS' });
  });

  it('says so when the account is already linked', async () => {
    const [alice, bob] = await newUsers(2);
    const person = browser();
    await linkAll(person, alice, [bob]);
    const linkPath = `/link/p/${encodeURIComponent(idOf(alice))}`;
    // The confirmation sent again: adding is over, nothing to link.
    await person.post(linkPath, 303);
    expect((await person.home()).flash).toMatchObject({ code: 'LINK_NOT_STARTED' });
    // "Add another account" with Bob again.
    await person.get((await person.home()).addAccountUrl!).expect(302);
    await person.signIn(bob, linkPath).expect(303);
    await person.post(linkPath, 303);
    expect((await person.home()).flash).toMatchObject({
      code: 'ALREADY_LINKED',
      message: 'This account is already linked.',
    });
  });

  it('sends a visitor who is not signed in to sign in, from both flows', async () => {
    const [alice] = await newUsers(1);
    const stranger = browser();
    const link = await stranger.get(`/link/p/${encodeURIComponent(idOf(alice))}`).expect(302);
    expect(link.headers.location).toBe('/sign-in');
    expect((await stranger.home()).flash).toMatchObject({
      code: 'SIGN_IN_TO_LINK',
      message: 'Please sign in to link accounts.',
    });
    const switched = await stranger.post(`/link/switch_to/${encodeURIComponent(idOf(alice))}`, 303);
    expect(switched.headers.location).toBe('/sign-in');
    expect((await stranger.home()).flash).toMatchObject({ code: 'SIGN_IN_TO_SWITCH' });
  });

  it('answers every switch to an account outside the group alike, telling nothing about it', async () => {
    const [alice, bob, carol, dave] = await newUsers(4);
    const person = browser();
    await person.signIn(carol).expect(303);
    const switchTo = (id: string) => person.post(`/link/switch_to/${encodeURIComponent(id)}`, 303);

    await switchTo(idOf(alice));
    expect((await person.home()).flash).toMatchObject({
      code: 'NO_MULTI_ACCOUNT_SESSION',
      message: 'Multi-account session not found. Please link accounts first.',
    });

    await linkAll(person, alice, [bob, dave]);
    const em = db().orm.em.fork();
    pair.setActive(await em.findOneOrFail(pair.userClass, idOf(bob)), false);
    await em.flush();
    // Malformed, unknown, existing outside the group, deactivated inside it: one status, one message.
    const refused = {
      code: 'SWITCH_NOT_AUTHORIZED',
      message: 'You cannot switch to this account from this browser session.',
    };
    for (const target of ['not-an-id', pair.userId === 'uuid' ? randomUUID() : '999999', idOf(carol), idOf(bob)]) {
      const response = await switchTo(target);
      expect(response.headers.location, target).toBe('/');
      expect((await person.home()).flash, target).toEqual({ kind: 'error', ...refused });
    }
    expect((await person.home()).current).toBe(idOf(dave));
  });

  it('refuses a switch when the current account is not part of the group', async () => {
    const [alice, bob, mallory] = await newUsers(3);
    const person = browser();
    await linkAll(person, alice, [bob]);
    // "Add another account" signs Mallory in, not linked yet: she may not borrow the group, and is not shown it.
    await person.get((await person.home()).addAccountUrl!).expect(302);
    await person.signIn(mallory, `/link/p/${idOf(alice)}`).expect(303);
    const home = await person.home();
    expect(home).toMatchObject({ current: idOf(mallory), primary: idOf(alice) });
    expect(home.accounts.map(account => account.id)).toEqual([idOf(mallory)]);
    await person.post(`/link/switch_to/${encodeURIComponent(idOf(alice))}`, 303);
    expect(await person.home()).toMatchObject({ current: idOf(mallory), flash: { code: 'SWITCH_NOT_AUTHORIZED' } });
  });

  it('leaves multi-account mode when the primary is gone, and does not keep an inactive user signed in', async () => {
    const [alice, bob] = await newUsers(2);
    const person = browser();
    await linkAll(person, alice, [bob]);
    const em = db().orm.em.fork();
    pair.setActive(await em.findOneOrFail(pair.userClass, idOf(alice)), false);
    await em.flush();
    expect(await person.home()).toMatchObject({ current: idOf(bob), primary: null });
    pair.setActive(await em.findOneOrFail(pair.userClass, idOf(bob)), false);
    await em.flush();
    expect(await person.home()).toMatchObject({ current: null, primary: null, accounts: [], addAccountUrl: null });
  });

  it('answers the accounts as JSON, 401 for nobody', async () => {
    const [alice, bob] = await newUsers(2);
    const person = browser();
    const anonymous = await person.get('/link/accounts').expect(401);
    expect(anonymous.body).toEqual({ error: 'Not signed in.' });

    await person.signIn(alice).expect(303);
    const standard = await person.get('/link/accounts').expect(200).expect('content-type', /json/);
    const display = (user: any) => Object.fromEntries(pair.displayFields.map(field => [field, user[field]]));
    expect(standard.body).toMatchObject({
      currentUser: { id: idOf(alice), ...display(alice) },
      primaryUser: null,
      accounts: [
        {
          id: idOf(alice),
          current: true,
          primary: true,
          switchUrl: `/link/switch_to/${encodeURIComponent(idOf(alice))}`,
          ...display(alice),
        },
      ],
      addAccountUrl: `/link/p/${encodeURIComponent(idOf(alice))}`,
      csrfToken: expect.any(String),
    });

    await linkAll(person, alice, [bob]);
    const multi = await person.get('/link/accounts').expect(200);
    expect(multi.body.currentUser).toEqual({ id: idOf(bob), ...display(bob) });
    expect(multi.body.primaryUser).toEqual({ id: idOf(alice), ...display(alice) });
    expect(multi.body.accounts.map((account: any) => [account.id, account.current, account.primary])).toEqual([
      [idOf(alice), false, true],
      [idOf(bob), true, false],
    ]);
    // A single-page app switches with the JSON's CSRF token in a header.
    await person.agent.post(multi.body.accounts[0].switchUrl).set('x-csrf-token', multi.body.csrfToken).expect(303);
    expect((await person.get('/link/accounts')).body.currentUser.id).toBe(idOf(alice));
  });

  it(`shows the group without making an entity of each account; an account's entity is made when read, \
and is the request's own`, async () => {
    const [alice, bob, carol] = await newUsers(3);
    const person = browser();
    await linkAll(person, alice, [bob, carol]);
    const members = (await person.get('/members').expect(200)).body;
    // Acting as carol: the loader made alice's and carol's entities; showing bob made none, unless a display
    // field is a getter (the renamed pair's `label`), which only an entity can show.
    expect(members).toEqual({
      beforeReading: pair.label === 'every name renamed' ? 3 : 2,
      afterReading: 3,
      ids: [alice, bob, carol].map(idOf),
      fieldsMatch: true,
      entities: true,
      currentIsTheLoadedOne: true,
    });
  });

  it(`answers the switcher page in 2 statements, the JSON in 1 and a switch in 1 on PostgreSQL (2 elsewhere, \
or as a form the app did not parse), for one link as for the maximum`, async () => {
    const statements = async (request: () => Promise<unknown>) => {
      db().queries.length = 0;
      await request();
      return dataStatements(db().queries).length;
    };
    const [alice, bob, carol, ...more] = await newUsers(2 + pair.max);
    const small = browser();
    await linkAll(small, alice, [bob]);
    const large = browser();
    await linkAll(large, carol, more.slice(0, pair.max - 1).concat([bob]));
    expect((await large.home()).accounts).toHaveLength(pair.max + 1);
    for (const [person, primary] of [
      [small, alice],
      [large, carol],
    ] as const) {
      expect(await statements(() => person.home())).toBe(2);
      const page = await person.home();
      let json: { accounts: { id: string; current: boolean; primary: boolean }[] } | undefined;
      // The URL tells the loader the group is wanted: it comes in the loader's own statement.
      expect(await statements(async () => (json = (await person.get('/link/accounts').expect(200)).body))).toBe(1);
      // The JSON lists the group the switcher page lists, in the same order.
      expect(json!.accounts.map(({ id, current, primary }) => ({ id, current, primary }))).toEqual(
        page.accounts.map(({ id, current, primary }) => ({ id, current, primary })),
      );
      // With the token in a header (the switcher element's way) the loader's statement runs the compare-and-set
      // too, where the database can update inside a select's `with`.
      const { csrfToken } = await person.home();
      expect(await statements(() => person.post(`/link/switch_to/${idOf(primary)}`, 303, csrfToken))).toBe(
        database === 'postgresql' ? 1 : 2,
      );
      expect((await person.home()).current).toBe(idOf(primary));
      // A form the app has no parser for in front of the loader: the token is read in the route, after it.
      // (The page after the switch: a token from before it names the account acting then, and is refused now.)
      const after = await person.home();
      const back = after.accounts.find(account => !account.current)!;
      const form = () => person.agent.post(back.switchUrl).type('form').send({ _csrf: after.csrfToken }).expect(303);
      expect(await statements(form)).toBe(2);
      expect((await person.home()).current).toBe(back.id);
    }
    // Each of those statements is built once and reused: no value of this pair is converted on the way.
    const queries = compiledQueries(db().orm.em);
    expect(
      Object.keys(queries).filter(key => /^(users|group|members|browser-session)/.test(key)).length,
    ).toBeGreaterThanOrEqual(5);
    expect(Object.values(queries)).not.toContain('built every time');
  });

  it('answers a page with the switcher in 1 statement when the app says its pages show it', async () => {
    const onEveryPage = await startTestApp(db().orm, pair, { options: { switcherOnEveryPage: true } });
    try {
      const [alice, bob, ...more] = await newUsers(2 + pair.max);
      const person = new Browser(onEveryPage.server, pair);
      await linkAll(person, alice, more.slice(0, pair.max - 1).concat([bob]));
      db().queries.length = 0;
      const page = await person.home();
      expect(dataStatements(db().queries)).toHaveLength(1);
      expect(page.accounts).toHaveLength(pair.max + 1);
      expect(page.accounts.map(account => account.id)[0]).toBe(idOf(alice));
    } finally {
      await onEveryPage.close();
    }
  });

  it(`lists the group oldest link first, and links made in the same millisecond in one order: \
the JSON (ordered in JavaScript on SQLite) as the switcher page`, async () => {
    const [alice, ...others] = await newUsers(1 + pair.max);
    const person = browser();
    // Linked newest user first: the order of the links is not the order of their users' ids.
    await linkAll(person, alice!, others.reverse());
    const inLinkOrder = [idOf(alice), ...others.map(idOf)];
    expect(
      (await person.get('/link/accounts').expect(200)).body.accounts.map((account: { id: string }) => account.id),
    ).toEqual(inLinkOrder);
    expect((await person.home()).accounts.map(account => account.id)).toEqual(inLinkOrder);
    await db()
      .orm.em.fork()
      .nativeUpdate(
        pair.linkClass,
        { [pair.names.primary]: idOf(alice) } as never,
        { insertedAt: new Date(Date.UTC(2026, 0, 1)) } as never,
      );
    const page = await person.home();
    const json = (await person.get('/link/accounts').expect(200)).body as { accounts: { id: string }[] };
    expect(page.accounts).toHaveLength(1 + pair.max);
    expect(json.accounts.map(account => account.id)).toEqual(page.accounts.map(account => account.id));
  });
});
