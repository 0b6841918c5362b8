/** The part of a node-redis (`redis` package, v5+) client the session store uses. */
export interface RedisSessionClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options: { expiration: { type: 'PX'; value: number } }): Promise<unknown>;
  del(key: string): Promise<number>;
}

const oneDay = 24 * 60 * 60 * 1000;

/**
 * A koa-session external store on Redis, for several app instances behind a load balancer:
 * `session({ store: redisSessionStore(client) }, app)`. Entries expire with the session's `maxAge` (a day for
 * browser-session cookies), so Redis never keeps abandoned sessions.
 */
export function redisSessionStore(client: RedisSessionClient, { prefix = 'koa:sess:' } = {}) {
  return {
    async get(key: string): Promise<Record<string, unknown> | undefined> {
      const value = await client.get(prefix + key);
      if (value === null) return undefined;
      try {
        return JSON.parse(value) as Record<string, unknown>;
      } catch {
        return undefined; // a corrupted entry is an expired session, not a crash
      }
    },
    async set(key: string, session: unknown, maxAge: number | 'session' | undefined): Promise<void> {
      const ttl = typeof maxAge === 'number' && maxAge > 0 ? maxAge : oneDay;
      await client.set(prefix + key, JSON.stringify(session), { expiration: { type: 'PX', value: ttl } });
    },
    async destroy(key: string): Promise<void> {
      await client.del(prefix + key);
    },
  };
}
