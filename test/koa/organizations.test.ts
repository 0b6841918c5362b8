import { RequestContext } from '@mikro-orm/core';
import type { Middleware } from 'koa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requireCsrfToken } from '../../src/koa/index.ts';
import type { User } from '../fixtures/default-entities.ts';
import {
  activeOrganization,
  chooseOrganization,
  Membership,
  Note,
  Organization,
  organizationEntities,
} from '../fixtures/organizations.ts';
import { Browser } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { eachDatabase } from '../support/matrix.ts';
import { pairsUnderTest } from '../support/pairs-under-test.ts';
import { eachSessionStore } from '../support/session-stores.ts';
import { createTestOrm, type TestOrm } from '../support/test-orm.ts';
import { newUsers } from '../support/users.ts';

/**
 * [account-state] The active organization follows the account (docs/organizations.md): kept per account, checked
 * against memberships, scoping every query by a MikroORM filter. Whatever the browser does — switch both ways, two
 * tabs as two accounts, a stale form, a membership revoked — a query never returns another organization's rows
 * and a write never lands in one.
 */
const pair = pairsUnderTest.find(candidate => candidate.label === 'default names')!;
const em = () => RequestContext.getEntityManager()!;
const csrf = requireCsrfToken();

/** The app's pages: its notes (as the filter scopes them), a note written, an organization chosen. */
const noteRoutes: Middleware = async (ctx, next) => {
  if (ctx.path === '/notes' && ctx.method === 'GET') {
    const notes = await em().find(Note, {}, { orderBy: { id: 'asc' } });
    ctx.body = { organizationId: ctx.state.organizationId ?? null, notes: notes.map(note => note.organization.id) };
  } else if (ctx.path === '/notes' && ctx.method === 'POST') {
    await csrf(ctx, async () => {
      const user = ctx.state.currentUser as User;
      em().create(Note, { organization: ctx.state.organizationId, author: user, text: String(ctx.query.text) });
      await em().flush();
      ctx.status = 201;
    });
  } else if (ctx.path.startsWith('/organization/') && ctx.method === 'POST') {
    await csrf(ctx, async () => {
      const chosen = await chooseOrganization(ctx, em(), Number(ctx.path.split('/')[2]));
      ctx.status = chosen ? 204 : 403;
    });
  } else await next();
};

eachDatabase(database => {
  eachSessionStore(stores => {
    let db: TestOrm;
    let app: TestApp;
    beforeAll(async () => {
      db = await createTestOrm(database, [...pair.entities, ...organizationEntities]);
      app = await startTestApp(db.orm, pair, {
        sessionStore: stores.store(`mma-organizations:${database}:`),
        options: { accountSelector: { pathPrefix: true } },
        afterLoader: [activeOrganization(em), noteRoutes],
      });
    });
    afterAll(async () => {
      await app?.close();
      await db?.close();
    });

    /** Alice and Bob share an organization; Carol has one of her own besides; everyone has a personal one. */
    async function organizations() {
      const [alice, bob, carol] = (await newUsers(db.orm, pair, 3)) as User[];
      const fork = db.orm.em.fork();
      const personal = (user: User) => fork.create(Organization, { name: `${user.name}'s`, personalOf: user });
      const [alices, bobs, carols] = [alice!, bob!, carol!].map(personal);
      const shared = fork.create(Organization, { name: 'shared' });
      const carolsTeam = fork.create(Organization, { name: "Carol's team" });
      const memberships: [User, Organization][] = [
        [alice!, alices!],
        [bob!, bobs!],
        [carol!, carols!],
        [alice!, shared],
        [bob!, shared],
        [carol!, carolsTeam],
      ];
      for (const [user, organization] of memberships) fork.create(Membership, { user, organization });
      for (const organization of [alices!, bobs!, carols!, shared, carolsTeam]) {
        fork.create(Note, { organization, author: alice!, text: organization.name });
      }
      await fork.flush();
      const ids = { alices: alices!.id, carols: carols!.id, shared: shared.id, carolsTeam: carolsTeam.id };
      return { alice: alice!, bob: bob!, carol: carol!, ids };
    }

    const switchPath = (user: User) => `/link/switch_to/${user.id}`;
    /** The notes a page of this browser (or tab) shows: all of one organization, the active one. */
    const notes = async (person: Browser, prefix = '') => {
      const page = (await person.agent.get(`${prefix}/notes`).expect(200)).body;
      expect(new Set(page.notes)).toEqual(new Set([page.organizationId]));
      return page.organizationId as number;
    };
    const token = async (person: Browser, prefix = '') => (await person.agent.get(`${prefix}/`).expect(200)).body;
    const choose = async (person: Browser, organizationId: number, status: number) => {
      const { csrfToken } = await person.home();
      await person.agent.post(`/organization/${organizationId}`).set('x-csrf-token', csrfToken).expect(status);
    };

    it('keeps each account in its own organization after a switch, in two tabs and from a stale form', async () => {
      const { alice, carol, ids } = await organizations();
      const person = new Browser(app.server, pair);
      await person.linkGroup(alice, [carol]);
      await person.post(switchPath(alice), 303);
      expect(await notes(person)).toBe(ids.alices); // the personal one, to start with
      await choose(person, ids.shared, 204);
      await choose(person, ids.carolsTeam, 403); // not hers: nothing changes
      expect(await notes(person)).toBe(ids.shared);
      const alicesPage = await token(person);
      // A switch to Carol: her own organization, never Alice's shared one.
      await person.post(switchPath(carol), 303);
      expect(await notes(person)).toBe(ids.carols);
      await choose(person, ids.carolsTeam, 204);
      // Alice's page, sent late, writes nothing anywhere (409), and Carol's own form writes into her organization.
      const late = person.agent.post('/notes?text=late').set('x-csrf-token', alicesPage.csrfToken);
      await late.expect(409);
      const { csrfToken } = await person.home();
      await person.agent.post('/notes?text=carols').set('x-csrf-token', csrfToken).expect(201);
      const written = await db.orm.em.fork().find(Note, { text: { $in: ['late', 'carols'] } }, { filters: false });
      expect(written.map(note => [note.text, note.organization.id])).toEqual([['carols', ids.carolsTeam]]);
      // Back to Alice: her choice was hers. Two tabs, two accounts, two organizations at once.
      await person.post(switchPath(alice), 303);
      expect(await notes(person)).toBe(ids.shared);
      expect(await notes(person, '/u/0')).toBe(ids.shared);
      expect(await notes(person, '/u/1')).toBe(ids.carolsTeam);
      // Alice removes Carol: Alice stays where she was; Carol, added again, starts in her personal organization.
      await person.post(`/link/unlink/${carol.id}`, 303);
      expect(await notes(person)).toBe(ids.shared);
      await person.get((await person.home()).addAccountUrl!).expect(302);
      await person.signIn(carol, `/link/p/${alice.id}`).expect(303);
      await person.post(`/link/p/${alice.id}`, 303);
      expect(await notes(person)).toBe(ids.carols);
      // Carol signs out of herself: Alice acts again, in the organization she chose.
      await person.post('/link/sign_out', 303);
      expect(await notes(person)).toBe(ids.shared);
    });

    it('never moves a note to another organization; an account in neither organization sees neither', async () => {
      const { ids } = await organizations();
      const fork = db.orm.em.fork();
      const note = await fork.findOneOrFail(Note, { organization: ids.shared }, { filters: false });
      note.organization = fork.getReference(Organization, ids.carolsTeam);
      await expect(fork.flush()).rejects.toThrow('never moves');
      const stored = await db.orm.em.fork().findOneOrFail(Note, note.id, { filters: false });
      expect(stored.organization.id).toBe(ids.shared);
      // Dave belongs to neither the shared organization nor Carol's team: he sees his own notes only.
      const [dave] = (await newUsers(db.orm, pair, 1)) as User[];
      const daveFork = db.orm.em.fork();
      const daves = daveFork.create(Organization, { name: "Dave's", personalOf: dave! });
      daveFork.create(Membership, { user: dave!, organization: daves });
      await daveFork.flush();
      const person = new Browser(app.server, pair);
      await person.signIn(dave).expect(303);
      await choose(person, ids.shared, 403);
      await choose(person, ids.carolsTeam, 403);
      const page = (await person.agent.get('/notes').expect(200)).body;
      expect(page).toEqual({ organizationId: daves.id, notes: [] });
    });

    it('falls back to the personal organization once a membership is revoked', async () => {
      const { alice, bob, ids } = await organizations();
      const person = new Browser(app.server, pair);
      await person.linkGroup(alice, [bob]);
      await person.post(switchPath(alice), 303);
      await choose(person, ids.shared, 204);
      expect(await notes(person)).toBe(ids.shared);
      await db.orm.em.fork().nativeDelete(Membership, { user: alice, organization: ids.shared });
      expect(await notes(person)).toBe(ids.alices);
    });
  });
});
