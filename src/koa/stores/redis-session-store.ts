import type { Context } from 'koa';
import { outageReporter } from '../http/outages.ts';
import { httpMessages } from '../../errors/http-messages.ts';

/** The part of a node-redis (`redis` package, v5+) client the session store uses. */
export interface RedisSessionClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options: { expiration: { type: 'PX'; value: number } }): Promise<unknown>;
  del(key: string): Promise<number>;
}

export interface RedisSessionStoreOptions {
  /** Key prefix. Default `koa:sess:`. */
  prefix?: string;
  /** How long (ms) a session read or write may take before the request is answered 503. Default 2000. */
  timeout?: number;
  /** The `Retry-After` (seconds) of that 503. Default 5. */
  retryAfter?: number;
}

const oneDay = 24 * 60 * 60 * 1000;

/**
 * A koa-session external store on Redis, for several app instances behind a load balancer:
 * `session({ store: redisSessionStore(client) }, app)`. Entries expire with the session's `maxAge` (a day for
 * browser-session cookies), so Redis never keeps abandoned sessions. While Redis cannot be reached, every
 * request that needs its session is answered 503 with `Retry-After` within `timeout`, and the next ones work
 * again once the client has reconnected (give the client an `'error'` listener, so Node does not exit).
 */
export function redisSessionStore(
  client: RedisSessionClient,
  { prefix = 'koa:sess:', timeout = 2000, retryAfter = 5 }: RedisSessionStoreOptions = {},
) {
  const outage = outageReporter('the session store (Redis)');
  const bounded = async <T>(operation: () => Promise<T>, ctx: Context | undefined) => {
    try {
      const result = await withinTime(operation, timeout, retryAfter);
      outage.worked();
      return result;
    } catch (error) {
      outage.failed(ctx, (error as Error).cause);
      throw error;
    }
  };
  return {
    async get(
      key: string,
      _maxAge?: unknown,
      options?: { ctx?: Context },
    ): Promise<Record<string, unknown> | undefined> {
      const value = await bounded(() => client.get(prefix + key), options?.ctx);
      if (value === null) return undefined;
      try {
        return JSON.parse(value) as Record<string, unknown>;
      } catch {
        return undefined; // a corrupted entry is an expired session, not a crash
      }
    },
    async set(
      key: string,
      session: unknown,
      maxAge: number | 'session' | undefined,
      options?: { ctx?: Context },
    ): Promise<void> {
      const ttl = typeof maxAge === 'number' && maxAge > 0 ? maxAge : oneDay;
      await bounded(
        () => client.set(prefix + key, JSON.stringify(session), { expiration: { type: 'PX', value: ttl } }),
        options?.ctx,
      );
    },
    async destroy(key: string, options?: { ctx?: Context }): Promise<void> {
      await bounded(() => client.del(prefix + key), options?.ctx);
    },
  };
}

/** Runs `operation`; a failure or no answer within `timeout` ms becomes Koa's 503 with `Retry-After`. */
async function withinTime<T>(operation: () => Promise<T>, timeout: number, retryAfter: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeout} ms`)), timeout);
  });
  try {
    return await Promise.race([operation(), late]);
  } catch (cause) {
    throw Object.assign(new Error(httpMessages.SESSION_STORE_UNAVAILABLE, { cause }), {
      status: 503,
      expose: true,
      headers: { 'retry-after': String(retryAfter) },
    });
  } finally {
    clearTimeout(timer);
  }
}
