import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Middleware } from 'koa';
import { multiAccountKoa } from '../../src/koa/index.ts';
import { Browser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { eachDatabaseAndPair, namingPairs } from '../support/matrix.ts';
import { eachSessionStore } from '../support/session-stores.ts';
import { newUsers as createUsers } from '../support/users.ts';

/**
 * A request acts as the account the person meant: a form rendered for Bob, sent after another tab switched the
 * browser to Alice, changes nothing — 409, naming both — with the library's routes and with the app's own forms.
 */

eachDatabaseAndPair(
  ({ pair, db }) => {
    eachSessionStore(stores => {
      let app: TestApp;
      /** The same app with per-tab accounts (`/u/N/` and a header) and remembered accounts. */
      let tabs: TestApp;
      const notes: { author: string | null; text: string }[] = [];
      const saveNote = (ctx: any) => {
        const author = ctx.state.currentUser ? String(ctx.state.currentUser[pair.userId]) : null;
        notes.push({ author, text: String(ctx.request.body?.text) });
        ctx.status = 201;
      };
      beforeAll(async () => {
        const sessionStore = stores.store(`mma-intent:${pair.label}:`);
        const { requireCsrfToken, requireIntendedAccount, intendedAccountField } = await import(
          '../../src/koa/index.ts'
        );
        const csrf = requireCsrfToken();
        const intended = requireIntendedAccount();
        const appRoutes: Middleware[] = [
          async (ctx, next) => {
            if (ctx.path !== '/notes' || ctx.method !== 'POST') return next();
            await csrf(ctx, async () => saveNote(ctx));
          },
          // An app with a CSRF library of its own adds the account field to its forms.
          async (ctx, next) => {
            if (ctx.path === '/field') ctx.body = intendedAccountField(ctx);
            else if (ctx.path === '/cached') {
              ctx.set('cache-control', 'public, max-age=60');
              ctx.body = 'the same for everyone';
            } else if (ctx.path === '/own-notes' && ctx.method === 'POST')
              await intended(ctx, async () => saveNote(ctx));
            else await next();
          },
        ];
        // The app's own form, protected as the README shows: a note saved as whoever acts.
        app = await startTestApp(db().orm, pair, { sessionStore, afterLoader: appRoutes });
        tabs = await startTestApp(db().orm, pair, {
          sessionStore: stores.store(`mma-intent-tabs:${pair.label}:`),
          options: { accountSelector: { pathPrefix: true, header: 'x-account-index' }, rememberAccounts: true },
          afterLoader: appRoutes,
        });
      });
      afterAll(async () => {
        await app?.close();
        await tabs?.close();
      });

      const idOf = (user: any) => String(user[pair.userId]);
      const newUsers = (count: number) => createUsers(db().orm, pair, count);
      const switchPath = (user: any) => `/link/switch_to/${encodeURIComponent(idOf(user))}`;

      /** Alice and Bob in one group, Bob acting, and the token a page rendered for Bob carries. */
      async function bobsPage() {
        const [alice, bob] = await newUsers(2);
        const person = new Browser(app.server, pair);
        await person.linkGroup(alice, [bob]);
        const { csrfToken, current } = await person.home();
        expect(current).toBe(idOf(bob));
        return { alice, bob, person, bobsToken: csrfToken };
      }

      it("refuses Bob's stale sign-out form after a switch to Alice: 409 naming both, nothing changed", async () => {
        const { alice, bob, person, bobsToken } = await bobsPage();
        await person.post(switchPath(alice), 303); // another tab switches
        await person.home(); // and shows its page
        const cookie = person.sessionCookie();
        const refused = await person.agent.post('/link/sign_out').type('form').send({ _csrf: bobsToken }).expect(409);
        expect(refused.headers['set-cookie']).toBeUndefined();
        expect(refused.text).toContain('Nothing was changed');
        expect(refused.text).toMatch(/Switch back to /);
        expect(person.sessionCookie()).toBe(cookie);
        const home = await person.home();
        expect(home.current).toBe(idOf(alice));
        expect(home.accounts.map(account => account.id)).toEqual([idOf(alice), idOf(bob)]);
      });

      it('answers JSON when JSON is asked for, with a way back that works', async () => {
        const { alice, bob, person, bobsToken } = await bobsPage();
        await person.post(switchPath(alice), 303);
        const refused = await person.agent
          .post('/link/sign_out')
          .set('accept', 'application/json')
          .set('x-csrf-token', bobsToken)
          .expect(409);
        expect(refused.body).toMatchObject({
          intendedAccount: { id: idOf(bob) },
          currentAccount: { id: idOf(alice) },
          switchBackUrl: switchPath(bob),
        });
        await person.agent.post(refused.body.switchBackUrl).set('x-csrf-token', refused.body.csrfToken).expect(303);
        expect((await person.home()).current).toBe(idOf(bob));
      });

      it("keeps a note typed in Bob's tab out of Alice's notes after a switch", async () => {
        const { alice, bob, person, bobsToken } = await bobsPage();
        await person.agent.post('/notes').type('form').send({ _csrf: bobsToken, text: 'by bob' }).expect(201);
        await person.post(switchPath(alice), 303);
        await person.agent.post('/notes').type('form').send({ _csrf: bobsToken, text: 'stale' }).expect(409);
        const { csrfToken } = await person.home();
        await person.agent.post('/notes').type('form').send({ _csrf: csrfToken, text: 'by alice' }).expect(201);
        const mine = (author: any) => notes.filter(note => note.author === idOf(author)).map(note => note.text);
        expect(mine(bob)).toEqual(['by bob']);
        expect(mine(alice)).toEqual(['by alice']);
      });

      it('gives apps with a CSRF library of their own the same check, through a field or a header', async () => {
        const { alice, bob, person } = await bobsPage();
        const field = (await person.agent.get('/field').expect(200)).body;
        expect(field).toEqual({ name: '_account', value: idOf(bob) });
        await person.agent
          .post('/own-notes')
          .type('form')
          .send({ [field.name]: field.value, text: 'bob 1' })
          .expect(201);
        await person.post(switchPath(alice), 303);
        await person.agent
          .post('/own-notes')
          .type('form')
          .send({ [field.name]: field.value, text: 'x' })
          .expect(409);
        await person.agent.post('/own-notes').set('x-account-id', field.value).send({ text: 'x' }).expect(409);
        await person.agent.post('/own-notes').type('form').send({ text: 'unnamed' }).expect(201);
        const texts = notes.filter(note => note.author === idOf(bob)).map(note => note.text);
        expect(texts).toEqual(['bob 1']);
      });

      it('keeps every page of a signed-in request out of caches, unless the app chose otherwise', async () => {
        const [alice] = await newUsers(1);
        const person = new Browser(app.server, pair);
        const anonymous = await person.agent.get('/').expect(200);
        expect(anonymous.headers['cache-control']).toBeUndefined();
        await person.signIn(alice).expect(303);
        const page = await person.agent.get('/').expect(200);
        expect(page.headers['cache-control']).toBe('private, no-store');
        expect(page.headers.vary).toMatch(/\bCookie\b/);
        const own = await person.agent.get('/cached').expect(200);
        expect(own.headers['cache-control']).toBe('public, max-age=60');
        expect(own.headers.vary).toMatch(/\bCookie\b/);
        const signedOut = await person.agent.post('/sign-out').expect(302);
        expect(signedOut.headers['cache-control']).toBe('private, no-store');

        const uncached = await startTestApp(db().orm, pair, { options: { cacheHeaders: false } });
        try {
          const other = new Browser(uncached.server, pair);
          await other.signIn(alice).expect(303);
          const plain = await other.agent.get('/').expect(200);
          expect(plain.headers['cache-control']).toBeUndefined();
          expect(plain.headers.vary).toBeUndefined();
        } finally {
          await uncached.close();
        }
      });

      it('lets path guards mounted after the tab selector see the path the routes will see', async () => {
        const options = { userEntity: pair.userClass as never, accountSelector: { pathPrefix: true } };
        const { tabSelector } = multiAccountKoa(options);
        const guard: Middleware = async (ctx, next) => {
          if (ctx.path.startsWith('/admin')) ctx.throw(403, 'Admins only');
          await next();
        };
        const guarded = await startTestApp(db().orm, pair, { options, beforeRoutes: [tabSelector, guard] });
        try {
          const [alice, bob] = await newUsers(2);
          const person = new Browser(guarded.server, pair);
          await person.linkGroup(alice, [bob]);
          await person.agent.get('/admin/secret').expect(403);
          await person.agent.get('/u/0/admin/secret').expect(403);
          await person.agent.get('/u/1/admin').expect(403);
          // The tab selector's choice is the loader's: /u/0/ acts as the primary.
          expect((await person.agent.get('/u/0/').expect(200)).body.current).toBe(idOf(alice));
        } finally {
          await guarded.close();
        }
      });

      it("keeps a /u/N/ tab on its account: once Bob leaves, Bob's tab finds nothing, never Carol", async () => {
        const [alice, bob, carol] = await newUsers(3);
        const person = new Browser(tabs.server, pair);
        await person.linkGroup(alice, [bob, carol]);
        const bobsTab = (await person.agent.get('/u/1/').expect(200)).body;
        expect(bobsTab.current).toBe(idOf(bob));
        const bobsLabel = bobsTab.accounts.find((account: any) => account.id === idOf(bob)).label;
        // Another tab, as Alice, removes Bob.
        const alicesTab = (await person.agent.get('/u/0/').expect(200)).body;
        const unlink = `/u/0/link/unlink/${encodeURIComponent(idOf(bob))}`;
        await person.agent.post(unlink).type('form').send({ _csrf: alicesTab.csrfToken }).expect(303);
        await person.home(); // Alice's tab shows the page it was sent to
        // Bob's tab: its pages are not found, by path or header, rather than Carol's.
        await person.agent.get('/u/1/').expect(404);
        await person.agent.get('/').set('x-account-index', '1').expect(404);
        // Its forms change nothing: 409 naming Bob, no cookie written.
        const form = { _csrf: bobsTab.csrfToken, text: "typed in Bob's tab" };
        const refused = await person.agent.post('/u/1/notes').type('form').send(form).expect(409);
        expect(refused.text).toContain(`made for ${bobsLabel}`);
        expect(refused.headers['set-cookie']).toBeUndefined();
        await person.agent.post('/u/1/link/sign_out').type('form').send(form).expect(409);
        await person.agent.post('/notes').set('x-account-index', '1').type('form').send(form).expect(409);
        expect(notes.filter(note => note.text === form.text)).toEqual([]);
        // Carol keeps her number; the switcher leaves Bob's free.
        const carolsTab = (await person.agent.get('/u/2/').expect(200)).body;
        expect(carolsTab.current).toBe(idOf(carol));
        expect(carolsTab.accounts.map((account: any) => account.switchUrl)).toEqual(['/u/0/', '/u/2/']);
        // Bob added again gets his number back.
        await person.get((await person.agent.get('/u/0/').expect(200)).body.addAccountUrl).expect(302);
        await person.signIn(bob, `/link/p/${encodeURIComponent(idOf(alice))}`).expect(303);
        await person.post(`/link/p/${encodeURIComponent(idOf(alice))}`, 303);
        expect((await person.agent.get('/u/1/').expect(200)).body.current).toBe(idOf(bob));
        expect((await person.agent.get('/u/2/').expect(200)).body.current).toBe(idOf(carol));
      });

      it("leaves the session acting as Carol when Alice's tab removes Bob or signs Alice out", async () => {
        const group = async () => {
          const [alice, bob, carol] = await newUsers(3);
          const person = new Browser(tabs.server, pair);
          await person.linkGroup(alice, [bob, carol]);
          const alicesForm = async () => ({ _csrf: (await person.agent.get('/u/0/').expect(200)).body.csrfToken });
          return { alice, bob, carol, person, alicesForm };
        };
        const first = await group();
        const unlink = `/u/0/link/unlink/${encodeURIComponent(idOf(first.bob))}`;
        await first.person.agent
          .post(unlink)
          .type('form')
          .send(await first.alicesForm())
          .expect(303);
        expect(await first.person.home()).toMatchObject({ current: idOf(first.carol), primary: idOf(first.alice) });
        const second = await group();
        await second.person.agent
          .post('/u/0/link/sign_out')
          .type('form')
          .send(await second.alicesForm())
          .expect(303);
        // Bob, the oldest linked account, takes the group over; the session goes on as Carol.
        const home = await second.person.home();
        expect(home).toMatchObject({ current: idOf(second.carol), primary: idOf(second.bob) });
        expect(home.accounts.map(account => account.id)).toEqual([second.bob, second.carol].map(idOf));
      });

      it(`starts afresh on a sign-in outside "Add another account": every earlier account signed out and \
remembered, none listed`, async () => {
        const [alice, bob, mallory] = await newUsers(3);
        const person = new Browser(tabs.server, pair);
        await person.linkGroup(alice, [bob]);
        const groupCookie = person.cookieHeader();
        await person.signIn(mallory).expect(303); // the app's own sign-in page
        const home = await person.home();
        expect(home).toMatchObject({ current: idOf(mallory), primary: null });
        expect(home.accounts.map(account => account.id)).toEqual([idOf(mallory)]);
        expect(home.remembered.map(account => account.id)).toEqual([idOf(bob), idOf(alice)]);
        const listed = (await person.agent.get('/link/accounts').expect(200)).body;
        expect(listed.primaryUser).toBeNull();
        expect(listed.accounts.map((account: any) => account.id)).toEqual([idOf(mallory)]);
        await person.post(switchPath(alice), 303);
        expect((await person.home()).current).toBe(idOf(mallory));
        // A copy of the cookie from before acts as nobody.
        const copy = new Browser(tabs.server, pair);
        copy.plantCookies(groupCookie);
        expect(await copy.home()).toMatchObject({ current: null, accounts: [] });
        // A member of the old group signing in from the sign-in page starts afresh too.
        await person.signIn(alice).expect(303);
        const again = await person.home();
        expect(again).toMatchObject({ current: idOf(alice), primary: null });
        expect(again.accounts.map(account => account.id)).toEqual([idOf(alice)]);
      });

      it("refuses a stale switch: the switcher rendered for Bob cannot move Alice's session", async () => {
        const [alice, bob, carol] = await newUsers(3);
        const person = new Browser(app.server, pair);
        await person.linkGroup(alice, [bob, carol]);
        await person.post(switchPath(bob), 303);
        const bobsToken = (await person.home()).csrfToken;
        await person.post(switchPath(alice), 303);
        await person.home(); // the page after the switch
        const refused = await person.agent.post(switchPath(carol)).set('x-csrf-token', bobsToken).expect(409);
        // The loader's statement did not move the session on either (on PostgreSQL it may run a switch's
        // compare-and-set itself): no new cookie, and the old one still acts.
        expect(refused.headers['set-cookie']).toBeUndefined();
        expect((await person.home()).current).toBe(idOf(alice));
      });
    });
  },
  { serverPairs: namingPairs },
);
