import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../examples/demo/seed.ts';
import { startDemo, type RunningDemo } from '../../examples/demo/server.ts';
import { databaseTargets } from '../support/database-targets.ts';
import { eachDatabase } from '../support/matrix.ts';

const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

eachDatabase(
  database => {
    describe('the demo pages over HTTP', () => {
      let demo: RunningDemo;
      let cleanUp: () => Promise<void>;

      beforeAll(async () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'mma-demo-'));
        const dbName = `mma_demo_${randomBytes(6).toString('hex')}`;
        const databaseUrl =
          database === 'postgresql'
            ? `${databaseTargets.postgresql.url!.replace(/\/[^/]*$/, '')}/${dbName}`
            : undefined;
        demo = await startDemo({ port: 0, dataDir, databaseUrl });
        cleanUp = async () => {
          rmSync(dataDir, { recursive: true, force: true });
          if (!databaseUrl) return;
          const admin = await MikroORM.init({
            driver: PostgreSqlDriver,
            clientUrl: databaseTargets.postgresql.url,
            entities: [],
            discovery: { warnWhenNoEntities: false },
          });
          await admin.schema.dropDatabase(dbName);
          await admin.close();
        };
      });
      afterAll(async () => {
        await demo?.close();
        await cleanUp?.();
      });

      it('signs in through a CSRF-protected form that honours a local return_to', async () => {
        const person = supertest.agent(demo.url);
        const form = await person.get('/sign-in?return_to=/link/accounts').expect(200);
        expect(form.text).toMatch(/<input id="email" name="email" type="email"/);
        expect(form.text).toMatch(/<input id="password" name="password" type="password"/);
        expect(form.text).toContain('<input type="hidden" name="return_to" value="/link/accounts">');
        const _csrf = csrfOf(form.text);
        expect(_csrf).not.toBe('');

        await person
          .post('/sign-in')
          .type('form')
          .send({ email: 'alice@example.com', password: demoPassword })
          .expect(403);
        const wrong = await person
          .post('/sign-in')
          .type('form')
          .send({ _csrf, email: 'alice@example.com', password: 'nope', return_to: '/link/accounts' })
          .expect(401);
        expect(wrong.text).toContain('Wrong email or password.');
        expect(wrong.text).toContain('value="alice@example.com"');

        const signedIn = await person
          .post('/sign-in')
          .type('form')
          .send({ _csrf, email: 'alice@example.com', password: demoPassword, return_to: '/link/accounts' })
          .expect(303);
        expect(signedIn.headers.location).toBe('/link/accounts');
        expect((await person.get('/link/accounts').expect(200)).body.currentUser).toMatchObject({
          name: 'Alice',
          email: 'alice@example.com',
        });
        expect((await person.get('/').expect(200)).text).toContain('Signed in as Alice');

        // Signing in renews the session and its CSRF secret: a form from before no longer posts.
        await person
          .post('/sign-in')
          .type('form')
          .send({ _csrf, email: 'alice@example.com', password: demoPassword })
          .expect(403);
        const fresh = csrfOf((await person.get('/sign-in').expect(200)).text);
        const outside = await person
          .post('/sign-in')
          .type('form')
          .send({ _csrf: fresh, email: 'alice@example.com', password: demoPassword, return_to: '//evil.com' })
          .expect(303);
        expect(outside.headers.location).toBe('/');

        const home = await person.get('/').expect(200);
        await person
          .post('/sign-out')
          .type('form')
          .send({ _csrf: csrfOf(home.text) })
          .expect(303);
        expect((await person.get('/').expect(200)).text).not.toContain('Signed in as');
        await person.get('/link/accounts').expect(401);
      });

      it(`takes as long to refuse an unknown email as a wrong password, \
so sign-in does not tell which emails exist`, async () => {
        const person = supertest.agent(demo.url);
        const _csrf = csrfOf((await person.get('/sign-in').expect(200)).text);
        const timed = async (email: string) => {
          const started = performance.now();
          await person.post('/sign-in').type('form').send({ _csrf, email, password: 'not the password' }).expect(401);
          return performance.now() - started;
        };
        await timed('nobody@example.com'); // the dummy hash is made once, on first use
        const known: number[] = [];
        const unknown: number[] = [];
        for (let round = 0; round < 3; round++) {
          known.push(await timed('alice@example.com'));
          unknown.push(await timed(`nobody-${round}@example.com`));
        }
        // Both run one scrypt (hundreds of ms); without the dummy an unknown email answers in a few ms.
        expect(Math.min(...unknown) / Math.max(...known)).toBeGreaterThan(0.3);
      });

      it('fills in the email a remembered account signs in again with (login_hint), escaped', async () => {
        const hinted = await supertest(demo.url)
          .get(`/sign-in?login_hint=${encodeURIComponent('"><script>alert(1)</script>')}`)
          .expect(200);
        expect(hinted.text).toContain(
          'name="email" type="email" autocomplete="username" required ' +
            'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">',
        );
        expect(hinted.text).not.toContain('<script>alert(1)');
      });

      it('answers 400, not 500, to a body that claims gzip and is not', async () => {
        const person = supertest.agent(demo.url);
        for (const path of ['/sign-in', '/sign-up', '/link/switch_to/1', '/link/sign_out']) {
          const response = await person.post(path).type('form').set('content-encoding', 'gzip').send('_csrf=x');
          expect(response.status, path).toBe(400);
        }
      });

      it('signs up a new account with a hashed password, and refuses a taken email', async () => {
        const person = supertest.agent(demo.url);
        const _csrf = csrfOf((await person.get('/sign-up').expect(200)).text);
        const email = `erin-${randomBytes(4).toString('hex')}@example.com`;
        await person
          .post('/sign-up')
          .type('form')
          .send({ _csrf, name: 'Erin', email, password: 'long enough' })
          .expect(303);
        expect((await person.get('/').expect(200)).text).toContain('Signed in as Erin');
        const signedInCsrf = csrfOf((await person.get('/sign-up').expect(200)).text);
        const taken = await person
          .post('/sign-up')
          .type('form')
          .send({ _csrf: signedInCsrf, name: 'Erin', email, password: 'long enough' })
          .expect(422);
        expect(taken.text).toContain('An account with this email already exists.');
        const short = await person
          .post('/sign-up')
          .type('form')
          .send({ _csrf: signedInCsrf, name: 'Fay', email: 'fay@example.com', password: 'short' })
          .expect(422);
        expect(short.text).toContain('at least 8 characters');
      });
    });
  },
  ['sqlite', 'postgresql'],
); // the demo runs on its embedded database, or on PostgreSQL through DATABASE_URL
