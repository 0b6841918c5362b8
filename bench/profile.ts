/**
 * `npm run bench:profile -- <sqlite|postgresql> <baseline|multi-account> <path|switch> [file]`: a CPU profile of
 * one app instance under load (set-up excluded), to open in Chrome's DevTools and see where the time goes.
 * `BENCH_LINKS` sets how many accounts each of B's browsers links (default 5).
 */
import 'reflect-metadata';
import { Instance, runLoad } from './processes.ts';
import { benchDatabase } from './database.ts';
import { loadSession, signedInSessions } from './sessions.ts';
import type { BenchDatabase } from './database.ts';
import type { AppKind } from './apps.ts';

const [database = 'sqlite', kind = 'multi-account', what = '/', file = `bench-${kind}.cpuprofile`] = process.argv.slice(
  2,
) as [BenchDatabase, AppKind, string, string];
const { orm, dbName, drop } = await benchDatabase(database);
const instance = await Instance.start({ database, dbName, kind, store: 'cookie', countStatements: false });
try {
  const switching = what === 'switch';
  const sessions = await signedInSessions(
    orm,
    instance.url,
    10,
    kind === 'baseline' ? 0 : Number(process.env.BENCH_LINKS ?? 5),
  );
  const load = await Promise.all(
    sessions.map(session =>
      switching
        ? loadSession(
            session,
            [`/link/switch_to/${session.primary.id}`, `/link/switch_to/${session.linked[0]!.id}`],
            true,
          )
        : loadSession(session, [what]),
    ),
  );
  const spec = {
    url: instance.url,
    method: switching ? 'POST' : 'GET',
    requestsPerConnection: 500,
    expectedStatus: switching ? 303 : 200,
  } as const;
  const warm = await runLoad({ ...spec, sessions: load });
  const before = await instance.usage();
  await instance.profile({ profile: 'start' });
  const measured = await runLoad({ ...spec, requestsPerConnection: 1000, sessions: warm.sessions });
  await instance.profile({ profile: 'stop', file });
  const after = await instance.usage();
  const cpuPer = Math.round((after.cpuMicros - before.cpuMicros) / measured.requests);
  const kernelPer = Math.round((after.systemMicros - before.systemMicros) / measured.requests);
  console.log(
    `${kind} ${what}: ${Math.round(measured.requestsPerSecond)} req/s, ` +
      `${cpuPer} µs CPU a request (${kernelPer} in the kernel; profiled), ` +
      `${measured.unexpected} unexpected; profile in ${file}`,
  );
} finally {
  await instance.close();
  await drop();
}
