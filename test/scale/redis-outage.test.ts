import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import session from 'koa-session';
import { createClient } from 'redis';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { demoPassword } from '../../examples/demo/seed.ts';
import { startDemo, type RunningDemo } from '../../examples/demo/server.ts';
import { redisSessionStore } from '../../src/koa/index.ts';
import { csrfOf } from '../support/cookie-browser.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

const redis = inject('redis');

describe.skipIf(Boolean(redis.skipReason))(
  `the demo when Redis goes away${redis.skipReason ? ` — SKIPPED: ${redis.skipReason}` : ''}`,
  () => {
    const target = new URL(redis.url);
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const dataDir = mkdtempSync(join(tmpdir(), 'mma-redis-outage-'));
    let demo: RunningDemo;

    beforeAll(async () => {
      await proxy.open();
      vi.spyOn(console, 'error').mockImplementation(() => {}); // the demo logs Redis connection errors
      demo = await startDemo({ port: 0, dataDir, sessionStoreUrl: `redis://127.0.0.1:${proxy.port}` });
    });
    afterAll(async () => {
      await demo?.close();
      await proxy.close();
      rmSync(dataDir, { recursive: true, force: true });
      vi.restoreAllMocks();
    });

    it(`answers 503 with Retry-After at once while Redis is unreachable, keeps running, \
and carries on when it is back`, async () => {
      const person = supertest.agent(demo.url).set('sec-fetch-site', 'same-origin');
      const form = await person.get('/sign-in').expect(200);
      await person
        .post('/sign-in')
        .type('form')
        .send({ _csrf: csrfOf(form.text), email: 'alice@example.com', password: demoPassword })
        .expect(303);
      expect((await person.get('/').expect(200)).text).toContain('Signed in as Alice');

      await proxy.close();
      for (const path of ['/', '/link/accounts', '/sign-in']) {
        const started = performance.now();
        const response = await person.get(path);
        expect(response.status, path).toBe(503);
        expect(response.headers['retry-after'], path).toBe('5');
        expect(response.text, path).not.toMatch(/Error:|at .*\.js|ECONNREFUSED|Redis/);
        expect(performance.now() - started, path).toBeLessThan(3000);
      }

      await proxy.open();
      await expect.poll(async () => (await person.get('/')).status, { timeout: 15_000, interval: 200 }).toBe(200);
      expect((await person.get('/').expect(200)).text).toContain('Signed in as Alice');
    });

    it('bounds the wait by `timeout` when the client queues commands until it reconnects', async () => {
      const client = createClient({ url: `redis://127.0.0.1:${proxy.port}` }); // offline queue on, the default
      client.on('error', () => {});
      await client.connect();
      const app = new Koa();
      app.keys = ['outage-test'];
      app.use(
        session({ store: redisSessionStore(client, { prefix: 'mma-outage:', timeout: 300, retryAfter: 7 }) }, app),
      );
      app.use(ctx => {
        ctx.session!.visits = Number(ctx.session!.visits ?? 0) + 1;
        ctx.body = { visits: ctx.session!.visits };
      });
      const server = app.listen(0, '127.0.0.1');
      try {
        const browser = supertest.agent(server);
        expect((await browser.get('/').expect(200)).body).toEqual({ visits: 1 });
        await proxy.close();
        const started = performance.now();
        const response = await browser.get('/');
        expect(response.status).toBe(503);
        expect(response.headers['retry-after']).toBe('7');
        expect(response.text).toBe('The session store is temporarily unavailable. Please try again in a moment.');
        expect(performance.now() - started).toBeLessThan(1500);
        await proxy.open();
        await expect.poll(async () => (await browser.get('/')).status, { timeout: 15_000, interval: 200 }).toBe(200);
      } finally {
        server.close();
        client.destroy();
      }
    });
  },
);
