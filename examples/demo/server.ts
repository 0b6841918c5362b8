import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { redisSessionStore } from '../../src/koa/index.ts';
import { createDemoApp } from './app.ts';
import { openDatabase } from './database.ts';
import { seedDemoTeams, seedDemoUsers } from './seed.ts';

export interface RunningDemo {
  url: string;
  close(): Promise<void>;
}

export interface DemoOptions {
  port: number;
  dataDir: string;
  /** PostgreSQL instead of the embedded database. */
  databaseUrl?: string;
  /** `redis://…`: sessions in Redis, so several instances can serve one browser. */
  sessionStoreUrl?: string;
  /** Session cookie signing keys; instances sharing sessions must share them. */
  sessionSecrets?: string[];
  host?: string;
  /** Per-tab accounts (`/u/N/…`). */
  perTab?: boolean;
}

/**
 * A Redis client that fails fast while Redis is away (the session store answers 503 then) and reconnects by
 * itself; the 'error' listener keeps a lost connection from ending the process.
 */
async function connectRedis(url: string) {
  const client = createClient({ url, disableOfflineQueue: true });
  client.on('error', (error: Error) => console.error(`Redis: ${error.message}`));
  return client.connect();
}

/** Opens (and seeds) the database, then serves the demo on `port` (0: any free port). */
export async function startDemo({
  port,
  dataDir,
  databaseUrl,
  sessionStoreUrl,
  sessionSecrets,
  host = '127.0.0.1',
  perTab,
}: DemoOptions): Promise<RunningDemo> {
  const orm = await openDatabase({ dataDir, databaseUrl });
  await seedDemoUsers(orm);
  await seedDemoTeams(orm);
  const redis = sessionStoreUrl ? await connectRedis(sessionStoreUrl) : undefined;
  const app = createDemoApp(orm, {
    sessionKeys: sessionSecrets,
    sessionStore: redis ? redisSessionStore(redis, { prefix: 'mma-demo:sess:' }) : undefined,
    perTab,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(port, host, () => resolve(listening)).on('error', reject);
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${actualPort}`,
    async close() {
      await new Promise<void>(resolve => server.close(() => resolve()));
      redis?.destroy(); // nothing is left to write: every session write was awaited by its request
      await orm.close();
    },
  };
}
