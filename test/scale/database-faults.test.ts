import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDemoApp } from '../../examples/demo/app.ts';
import { openDatabase } from '../../examples/demo/database.ts';
import { LinkedAccount } from '../../examples/demo/entities.ts';
import { demoPassword, seedDemoUsers } from '../../examples/demo/seed.ts';
import { Browser } from '../support/browser.ts';
import { csrfOf } from '../support/cookie-browser.ts';
import { databaseTargets } from '../support/database-targets.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

const postgres = inject('databases').find(database => database.name === 'postgresql')!;
const leaks = new RegExp(
  [
    String.raw`\bat .+:\d+:\d+`,
    String.raw`\bselect\b`,
    String.raw`\binsert into\b`,
    String.raw`\bupdate "`,
    String.raw`\bdelete from\b`,
    'ECONNREFUSED',
    'Connection terminated',
    'DriverException',
  ].join('|'),
  'i',
);

describe.skipIf(Boolean(postgres.skipReason))(
  `the demo when PostgreSQL goes away${postgres.skipReason ? ` — SKIPPED: ${postgres.skipReason}` : ''}`,
  () => {
    const dbName = `mma_faults_${randomBytes(6).toString('hex')}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'mma-faults-'));
    const target = new URL(databaseTargets.postgresql.url!);
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    let orm: MikroORM;
    let server: Server;

    beforeAll(async () => {
      await proxy.open();
      orm = await openDatabase({
        dataDir,
        databaseUrl: `postgresql://${target.username}@127.0.0.1:${proxy.port}/${dbName}`,
      });
      await seedDemoUsers(orm);
      const app = createDemoApp(orm);
      app.silent = true;
      server = await new Promise(resolve => {
        const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
      });
    });

    afterAll(async () => {
      await new Promise(resolve => server?.close(resolve));
      await orm?.close(true);
      await proxy.close();
      const admin = await MikroORM.init({
        driver: PostgreSqlDriver,
        clientUrl: databaseTargets.postgresql.url,
        entities: [],
        discovery: { warnWhenNoEntities: false },
      });
      await admin.schema.dropDatabase(dbName);
      await admin.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    /** Alice started adding an account and bob signed in: the link waits for its confirmation. */
    async function halfLinked() {
      // Navigations within the site, as a browser marks them.
      const person = supertest.agent(server).set('sec-fetch-site', 'same-origin');
      const signIn = async (email: string, returnTo = '/') => {
        const form = await person.get(`/sign-in?return_to=${encodeURIComponent(returnTo)}`).expect(200);
        await person
          .post('/sign-in')
          .type('form')
          .send({ _csrf: csrfOf(form.text), email, password: demoPassword, return_to: returnTo })
          .expect(303);
      };
      await signIn('alice@example.com');
      await person.get('/link/p/1').expect(302);
      await signIn('bob@example.com', '/link/p/1');
      return person;
    }

    async function signedInPair() {
      const person = await halfLinked();
      const confirm = await person.get('/link/p/1').expect(200);
      await person
        .post('/link/p/1')
        .type('form')
        .send({ _csrf: csrfOf(confirm.text) })
        .expect(303);
      return { person, csrf: csrfOf((await person.get('/').expect(200)).text) };
    }

    it('answers every route with a clean 503 while the port is closed, and recovers by itself', async () => {
      const { person, csrf } = await signedInPair();
      await proxy.close();
      const routes: [string, string][] = [
        ['GET', '/'],
        ['GET', '/sign-in'],
        ['POST', '/sign-in'],
        ['GET', '/sign-up'],
        ['POST', '/sign-up'],
        ['POST', '/sign-out'],
        ['GET', '/link/accounts'],
        ['GET', '/link/p/1'],
        ['POST', '/link/p/1'],
        ['GET', '/link/switch_to/1'],
        ['POST', '/link/switch_to/1'],
        ['POST', '/link/unlink/2'],
        ['POST', '/link/sign_out'],
        ['POST', '/link/sign_out_all'],
      ];
      for (const [method, path] of routes) {
        const response = await (method === 'GET'
          ? person.get(path)
          : person.post(path).type('form').send({ _csrf: csrf, email: 'alice@example.com', password: demoPassword }));
        expect(response.status, `${method} ${path}`).toBe(503);
        expect(response.headers['retry-after']).toBe('5');
        expect(response.text).toContain('Temporarily unavailable');
        expect(response.text).not.toMatch(leaks);
      }
      await proxy.open();
      const home = await person.get('/').expect(200);
      expect(home.text).toContain('Signed in as Bob');
      expect(await orm.em.fork().count(LinkedAccount)).toBe(1);
    });

    it(`survives connections cut mid-request: 503s or successes, \
every success written, then normal service`, async () => {
      const statuses: number[] = [];
      // Until the cuts have hit both ways: links confirmed while the connections may be cut under them. Even rounds
      // cut every 2 ms while the requests are in flight (on a loaded machine one early cut can land before any
      // query started, and every link succeeds); odd rounds cut once, early, so some links get through.
      for (let round = 0; round < 8 && (!statuses.includes(503) || !statuses.includes(303)); round++) {
        const people = [];
        for (let index = 0; index < 6; index++) people.push(await halfLinked());
        const tokens = await Promise.all(
          people.map(async person => csrfOf((await person.get('/link/p/1').expect(200)).text)),
        );
        const inFlight = people.flatMap((person, index) => [
          person.post('/link/p/1').type('form').send({ _csrf: tokens[index] }),
          person.get('/link/accounts'),
        ]);
        const cutting =
          round % 2 === 0
            ? setInterval(() => proxy.cutConnections(), 2)
            : setTimeout(() => proxy.cutConnections(), 3 + round);
        const responses = await Promise.all(inFlight).finally(() => clearInterval(cutting));
        const links = responses.filter((_, index) => index % 2 === 0);
        const reads = responses.filter((_, index) => index % 2 === 1);
        for (const response of responses) expect(response.text).not.toMatch(leaks);
        for (const response of links) expect([303, 503], `link: ${response.status}`).toContain(response.status);
        // A read sent beside its browser's link carries the cookie that link replaces: 401 once the link won.
        for (const response of reads) expect([200, 401, 503], `read: ${response.status}`).toContain(response.status);
        statuses.push(...links.map(response => response.status));
      }
      expect(statuses).toContain(503);
      expect(statuses).toContain(303);
      // Every confirmed link is stored, once; a refused one at most once.
      const rows = await orm.em.fork().find(LinkedAccount, { primaryUser: 1, linkedUser: 2 });
      expect(rows.length).toBeGreaterThanOrEqual(statuses.filter(status => status === 303).length);
      expect(rows.length).toBeLessThanOrEqual(statuses.length);
      expect(new Set(rows.map(row => row.sessionToken)).size).toBe(rows.length);
      const { person } = await signedInPair();
      expect((await person.get('/').expect(200)).text).toContain('Signed in as Bob');
    }, 120_000);

    it('lets the library answer 503 by itself in an app without an error page of its own', async () => {
      const libraryDb = `${dbName}_lib`;
      const { createTestOrm } = await import('../support/test-orm.ts');
      const { startTestApp } = await import('../support/koa-test-app.ts');
      const { pairsUnderTest } = await import('../support/pairs-under-test.ts');
      const { LinkedAccount: Link, User } = await import('../fixtures/default-entities.ts');
      const testOrm = await createTestOrm('postgresql', [User, Link], {
        clientUrl: `postgresql://${target.username}@127.0.0.1:${proxy.port}/${libraryDb}`,
        dbName: libraryDb,
      });
      const plain = await startTestApp(testOrm.orm, pairsUnderTest[0]!);
      plain.app.silent = true;
      const reported: { message: string; expose?: boolean; cause?: unknown }[] = [];
      plain.app.on('error', error => reported.push(error));
      try {
        const em = testOrm.orm.em.fork();
        const ann = pairsUnderTest[0]!.newUser(em, 'ann');
        await em.flush();
        const person = new Browser(plain.server, pairsUnderTest[0]!);
        await person.signIn(ann).expect(303);
        await proxy.close();
        for (const path of ['/', '/link/accounts', `/link/p/${ann.id}`, '/']) {
          const response = await person.get(path);
          expect(response.status, path).toBe(503);
          expect(response.text).toBe('The service is temporarily unavailable. Please try again in a moment.');
        }
        // The outage is told once, with its cause; each 503 of it is an exposed error, which loggers leave out.
        const told = reported.filter(error => !error.expose);
        expect(told.map(error => error.message)).toEqual([
          'mikro-multi-account: the database cannot be reached; answering 503 until it is back.',
        ]);
        expect(told[0]!.cause).toBeInstanceOf(Error);
        expect(reported.length).toBe(5);
      } finally {
        await proxy.open();
        await plain.close();
        await testOrm.close();
      }
    });
  },
);
