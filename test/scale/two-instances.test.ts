import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../examples/demo/seed.ts';
import { CookieBrowser, csrfOf } from '../support/cookie-browser.ts';
import { databaseTargets } from '../support/database-targets.ts';
import { startDemoProcess, type DemoProcess } from '../support/demo-process.ts';

const postgres = inject('databases').find(database => database.name === 'postgresql')!;
const redis = inject('redis');
const skipReason = postgres.skipReason ?? redis.skipReason;

describe.skipIf(Boolean(skipReason))(
  `two demo instances sharing Redis sessions and PostgreSQL${skipReason ? ` — SKIPPED: ${skipReason}` : ''}`,
  () => {
    const dbName = `mma_scale_${randomBytes(6).toString('hex')}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'mma-scale-'));
    const redisClient = createClient({ url: redis.url });
    let a: DemoProcess;
    let b: DemoProcess;

    beforeAll(async () => {
      await redisClient.connect();
      const env = {
        DATABASE_URL: `${databaseTargets.postgresql.url!.replace(/\/[^/]*$/, '')}/${dbName}`,
        SESSION_STORE: redis.url,
        SESSION_SECRET: randomBytes(24).toString('hex'),
        DATA_DIR: dataDir,
      };
      a = await startDemoProcess(env); // creates the schema and seeds; then the second instance joins
      b = await startDemoProcess(env);
    }, 60_000);

    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await redisClient.quit();
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

    it('links and switches with every other request served by the other instance', async () => {
      expect(a.url).not.toBe(b.url);
      const person = new CookieBrowser();
      const signIn = async (base: string, email: string, returnTo = '/') => {
        const form = await person.request(base, 'GET', `/sign-in?return_to=${encodeURIComponent(returnTo)}`);
        return person.request(base, 'POST', '/sign-in', {
          _csrf: csrfOf(form.text),
          email,
          password: demoPassword,
          return_to: returnTo,
        });
      };

      expect(await signIn(a.url, 'alice@example.com')).toMatchObject({ status: 303, location: '/' });
      const alice = JSON.parse((await person.request(b.url, 'GET', '/link/accounts')).text).currentUser;
      expect(alice.email).toBe('alice@example.com');
      const linkPath = `/link/p/${alice.id}`;

      const setup = await person.request(b.url, 'GET', linkPath);
      expect(setup).toMatchObject({ status: 302, location: `/sign-in?return_to=${encodeURIComponent(linkPath)}` });
      expect(await signIn(a.url, 'bob@example.com', linkPath)).toMatchObject({ status: 303, location: linkPath });
      const confirm = await person.request(b.url, 'GET', linkPath);
      expect(confirm.status).toBe(200);
      expect(await person.request(b.url, 'POST', linkPath, { _csrf: csrfOf(confirm.text) })).toMatchObject({
        status: 303,
        location: '/',
      });

      const home = await person.request(a.url, 'GET', '/');
      expect(home.text).toContain('Signed in as Bob');
      const before = await person.cookie(a.url, 'demo.sid');
      expect(await redisClient.exists(`mma-demo:sess:${before}`)).toBe(1);
      expect(
        await person.request(a.url, 'POST', `/link/switch_to/${alice.id}`, { _csrf: csrfOf(home.text) }),
      ).toMatchObject({ status: 303 });
      const after = await person.cookie(a.url, 'demo.sid');
      expect(after).not.toBe(before);
      // The old key keeps the new session at the generation before, an hour at most, for a lost answer.
      expect(await redisClient.pTTL(`mma-demo:sess:${before}`)).toBeLessThanOrEqual(3_600_000);
      expect(await redisClient.exists(`mma-demo:sess:${after}`)).toBe(1);

      const accounts = JSON.parse((await person.request(b.url, 'GET', '/link/accounts')).text);
      expect(accounts.currentUser.email).toBe('alice@example.com');
      expect(accounts.accounts.map((account: { email: string }) => account.email)).toEqual([
        'alice@example.com',
        'bob@example.com',
      ]);
      await redisClient.del(`mma-demo:sess:${after}`);
    });
  },
);
