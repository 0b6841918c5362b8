/**
 * `npm run bench:breakdown -- <sqlite|postgresql> <path|switch>`: where a request's CPU time goes on the whole
 * machine — the app's process, PostgreSQL's processes, and the rest (the load generator, the kernel) — for A
 * and for B, twice each, read from `/proc` over 15 000 requests. On PostgreSQL it also prints how many of the
 * browser-session record's updates were HOT (in place). Linux only.
 */
import 'reflect-metadata';
import { readdirSync, readFileSync } from 'node:fs';
import type { AppKind } from './apps.ts';
import { benchDatabase, type BenchDatabase } from './database.ts';
import { Instance, runLoad } from './processes.ts';
import { loadSession, signedInSessions } from './sessions.ts';

const [database = 'postgresql', what = 'switch'] = process.argv.slice(2) as [BenchDatabase, string];
const microsPerTick = 1_000_000 / 100; // USER_HZ

/** Busy CPU time of the whole machine, from /proc/stat. */
function machineBusyMicros(): number {
  const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user! + nice! + system! + irq! + softirq!) * microsPerTick;
}

/** CPU time of every PostgreSQL process (server and backends), from /proc/<pid>/stat. */
function postgresMicros(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter(name => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).startsWith('postgres')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // the process ended while we read
    }
  }
  return ticks * microsPerTick;
}

const { orm, dbName, drop } = await benchDatabase(database);
try {
  for (const kind of ['baseline', 'multi-account', 'baseline', 'multi-account'] as AppKind[]) {
    const instance = await Instance.start({ database, dbName, kind, store: 'cookie', countStatements: false });
    try {
      const switching = what === 'switch' && kind === 'multi-account';
      const sessions = await signedInSessions(orm, instance.url, 10, kind === 'baseline' ? 0 : 5);
      const paths = (session: (typeof sessions)[number]) =>
        switching
          ? [`/link/switch_to/${session.primary.id}`, `/link/switch_to/${session.linked[0]!.id}`]
          : [kind === 'baseline' ? '/' : what];
      const spec = {
        url: instance.url,
        method: switching ? 'POST' : 'GET',
        expectedStatus: switching ? 303 : 200,
      } as const;
      const warm = await runLoad({
        ...spec,
        requestsPerConnection: 300,
        sessions: await Promise.all(sessions.map(session => loadSession(session, paths(session), switching))),
      });
      const [app, pg, all] = [await instance.usage(), postgresMicros(), machineBusyMicros()];
      const measured = await runLoad({ ...spec, requestsPerConnection: 1500, sessions: warm.sessions });
      const per = (micros: number) => Math.round(micros / measured.requests);
      const appUsage = await instance.usage();
      const appPer = per(appUsage.cpuMicros - app.cpuMicros);
      const appKernelPer = per(appUsage.systemMicros - app.systemMicros);
      const pgPer = database === 'postgresql' ? per(postgresMicros() - pg) : 0;
      const allPer = per(machineBusyMicros() - all);
      const request = kind === 'baseline' ? 'GET /' : switching ? 'switch' : `GET ${what}`;
      console.log(
        `${kind === 'baseline' ? 'A' : 'B'} ${request}: ${Math.round(measured.requestsPerSecond)} req/s, ` +
          `CPU µs a request: app ${appPer} (kernel ${appKernelPer}), PostgreSQL ${pgPer}, ` +
          `the rest (load generator, kernel) ${allPer - appPer - pgPer}; ${measured.unexpected} unexpected`,
      );
    } finally {
      await instance.close();
    }
  }
  if (database === 'postgresql') {
    const [stats] = await orm.em
      .fork()
      .getConnection()
      .execute<{ n_tup_upd: string; n_tup_hot_upd: string }[]>(
        `select n_tup_upd, n_tup_hot_upd from pg_stat_user_tables where relname = 'multi_account_session'`,
      );
    console.log(
      `browser-session record updates: ${stats!.n_tup_upd}, of which HOT (in place): ${stats!.n_tup_hot_upd}`,
    );
  }
} finally {
  await drop();
}
