import { createClient } from 'redis';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { redisSessionStore, type RedisSessionClient } from '../../src/koa/index.ts';

export interface SessionStoreUnderTest {
  name: 'cookie' | 'redis';
  /** The koa-session store to give an app, its keys under `prefix`: undefined for the cookie store. */
  store(prefix: string): ReturnType<typeof redisSessionStore> | undefined;
}

/**
 * Runs `body` once with koa-session's cookie store and once with Redis (one client, connected before the
 * body's own hooks run); Redis is skipped, its reason in the title, where it does not answer.
 */
export function eachSessionStore(body: (stores: SessionStoreUnderTest) => void): void {
  const redis = inject('redis');
  for (const name of ['cookie', 'redis'] as const) {
    const skipReason = name === 'redis' ? redis.skipReason : undefined;
    const title = `with the ${name} session store${skipReason ? ` — SKIPPED: ${skipReason}` : ''}`;
    describe.skipIf(Boolean(skipReason))(title, () => {
      let client: (RedisSessionClient & { quit(): Promise<unknown> }) | undefined;
      if (name === 'redis') {
        beforeAll(async () => {
          client = await createClient({ url: redis.url }).connect();
        });
        afterAll(async () => {
          await client?.quit();
        });
      }
      body({ name, store: prefix => client && redisSessionStore(client, { prefix }) });
    });
  }
}
