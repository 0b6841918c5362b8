import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDemoApp } from './app.ts';
import { openDatabase } from './database.ts';
import { seedDemoUsers } from './seed.ts';

export interface RunningDemo {
  url: string;
  close(): Promise<void>;
}

/** Opens (and seeds) the database, then serves the demo on `port` (0: any free port). */
export async function startDemo({ port, dataDir, databaseUrl, host = '127.0.0.1' }: { port: number; dataDir: string; databaseUrl?: string; host?: string }): Promise<RunningDemo> {
  const orm = await openDatabase({ dataDir, databaseUrl });
  await seedDemoUsers(orm);
  const app = createDemoApp(orm);
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(port, host, () => resolve(listening)).on('error', reject);
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${actualPort}`,
    async close() {
      await new Promise<void>(resolve => server.close(() => resolve()));
      await orm.close();
    },
  };
}
