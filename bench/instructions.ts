/**
 * `npm run bench:instructions [-- <sqlite|postgresql> [scenario]]`: the machine instructions the app's process
 * executes per request, A against B, counted by valgrind (cachegrind, no cache simulation; Debian's `valgrind`
 * package). Unlike req/s and CPU time on a shared 2-core machine, the count comes out the same run after run, so
 * it can tell a 3 % difference from noise.
 *
 * Each measured instance runs under valgrind, with V8 in its predictable mode (one thread, a fixed hash
 * seed); the bench's browsers — signed in and linked through the apps' own routes — send requests one at a time,
 * each in turn. An instance runs twice, serving `short` and then `long` requests in all; per request is the
 * difference of the two totals over the difference in requests, so start-up and warm-up cancel out. What it
 * does not count: the kernel (syscalls, the database file's I/O), PostgreSQL's own processes, cache misses.
 * `BENCH_INSTRUCTION_REQUESTS` sets `short` (default 3000, past V8's warm-up: at 600 its compiler still ran
 * in the window, 14 % of B's count; `long` is three times it); `BENCH_VERBOSE` prints each instance run's total.
 * `scenario` keeps A and the scenarios whose name contains it. A run of everything writes bench/instructions.json.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDatabase, postgresAnswers, type BenchDatabase } from './database.ts';
import type { InstanceSpec } from './instance.ts';
import { Instance } from './processes.ts';
import { signedInSessions, switchTokensOf, type BenchSession } from './sessions.ts';

const connections = 10;
const short = Number(process.env.BENCH_INSTRUCTION_REQUESTS ?? 3000);
const long = 3 * short;
/** With `BENCH_CALLGRIND` set: where callgrind's profiles are kept (see `tool`). */
const callgrindFolder = process.env.BENCH_CALLGRIND;

interface Scenario {
  name: string;
  kind: InstanceSpec['kind'];
  links: number;
  method: 'GET' | 'POST';
  /** The path of a browser's `turn`th request. */
  path(session: BenchSession, turn: number): string;
}

const get = (name: string, kind: InstanceSpec['kind'], links: number, path: string): Scenario => ({
  name,
  kind,
  links,
  method: 'GET',
  path: () => path,
});
const scenarios: Scenario[] = [
  get('A: GET /, signed in', 'baseline', 0, '/'),
  get('B: loader (GET /), no links', 'multi-account', 0, '/'),
  get('B: loader (GET /), 1 linked', 'multi-account', 1, '/'),
  get('B: loader (GET /), 5 linked', 'multi-account', 5, '/'),
  get('B: loader (GET /), 20 linked', 'multi-account', 20, '/'),
  get('B: GET /link/accounts, 5 linked', 'multi-account', 5, '/link/accounts'),
  get('B: a page with the switcher, 5 linked', 'multi-account-page', 5, '/page'),
  {
    name: 'B: POST /link/switch_to, 5 linked',
    kind: 'multi-account',
    links: 5,
    method: 'POST',
    path: (session, turn) => `/link/switch_to/${turn % 2 === 0 ? session.primary.id : session.linked[0]!.id}`,
  },
];

/**
 * Valgrind's tool and its output file: cachegrind counting instructions only, or, with `BENCH_CALLGRIND` set to a
 * folder, callgrind keeping a profile there per instance run, function by function (`callgrind_annotate`). Code
 * V8 compiled shows as addresses there; /tmp/perf-<pid>.map, which V8 then writes, names them.
 */
function tool(file: string): string[] {
  return callgrindFolder
    ? ['--tool=callgrind', `--callgrind-out-file=${file}`]
    : ['--tool=cachegrind', '--cache-sim=no', `--cachegrind-out-file=${file}`];
}

/**
 * Instructions the instance's process executed from start to exit, serving `requests` requests from `sessions` in
 * turn.
 */
async function countInstructions(
  spec: InstanceSpec,
  scenario: Scenario,
  sessions: BenchSession[],
  tokens: string[][],
  requests: number,
): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'mma-instructions-'));
  const file = join(dir, 'valgrind.out');
  try {
    const instance = await Instance.start(spec, {
      command: ['valgrind', '-q', ...tool(file), `--log-file=${join(dir, 'valgrind.log')}`],
      // With callgrind, V8 writes where it put each compiled function (/tmp/perf-<pid>.map), to name them by.
      nodeFlags: ['--predictable', '--single-threaded', ...(callgrindFolder ? ['--perf-basic-prof'] : [])],
    });
    try {
      for (let index = 0; index < requests; index++) {
        const turn = Math.floor(index / sessions.length);
        const session = sessions[index % sessions.length]!;
        const own = tokens[index % sessions.length]!;
        const token = own[turn % own.length];
        const path = scenario.path(session, turn);
        const response = await session.browser
          .at(instance.url)
          .request(scenario.method, path, undefined, token ? { 'x-csrf-token': token } : {});
        const expected = scenario.method === 'POST' ? 303 : 200;
        if (response.status !== expected)
          throw new Error(`${scenario.name}: ${scenario.method} ${path} answered ${response.status}, not ${expected}`);
      }
    } finally {
      await instance.close();
    }
    const summary = /^summary:\s+(\d+)/m.exec(readFileSync(file, 'utf8'));
    if (!summary) throw new Error(`no instruction count in ${file}`);
    if (callgrindFolder)
      copyFileSync(
        file,
        join(callgrindFolder, `callgrind.${spec.database}.${scenario.name.replace(/\W+/g, '-')}.${requests}.out`),
      );
    return Number(summary[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(
  database: BenchDatabase,
): Promise<{ scenario: string; instructionsPerRequest: number; versusA: number }[]> {
  const { orm, dbName, drop } = await benchDatabase(database);
  try {
    const spec = (kind: InstanceSpec['kind']): InstanceSpec => ({
      database,
      dbName,
      kind,
      store: 'cookie',
      countStatements: false,
    });
    // The browsers are signed in and linked on ordinary instances; the cookie store lets them go on at the measured
    // ones.
    const signingIn = {
      baseline: await Instance.start(spec('baseline')),
      'multi-account': await Instance.start(spec('multi-account')),
      'multi-account-page': await Instance.start(spec('multi-account-page')),
    };
    const figures: { scenario: string; instructionsPerRequest: number; versusA: number }[] = [];
    try {
      for (const scenario of scenarios) {
        const sessions = await signedInSessions(orm, signingIn[scenario.kind].url, connections, scenario.links);
        const tokens = await Promise.all(
          sessions.map(session => (scenario.method === 'POST' ? switchTokensOf(session) : [])),
        );
        const counted = [];
        for (const requests of [short, long]) {
          const started = Date.now();
          counted.push(await countInstructions(spec(scenario.kind), scenario, sessions, tokens, requests));
          if (process.env.BENCH_VERBOSE)
            console.log(`  ${requests} requests: ${counted.at(-1)} instructions in ${Date.now() - started} ms`);
        }
        const perRequest = (counted[1]! - counted[0]!) / (long - short);
        const a = figures[0]?.instructionsPerRequest ?? perRequest;
        figures.push({
          scenario: scenario.name,
          instructionsPerRequest: Math.round(perRequest),
          versusA: a / perRequest,
        });
        console.log(
          `${database}: ${scenario.name}: ${Math.round(perRequest)} instructions a request ` +
            `(A/B ${(a / perRequest).toFixed(3)})`,
        );
      }
    } finally {
      await Promise.all(Object.values(signingIn).map(instance => instance.close()));
    }
    return figures;
  } finally {
    await drop();
  }
}

try {
  execFileSync('valgrind', ['--version']);
} catch {
  console.error('bench:instructions needs valgrind on the PATH (Debian: apt-get install valgrind).');
  process.exit(1);
}
const wanted = (process.argv[2] ? [process.argv[2]] : ['sqlite', 'postgresql']) as BenchDatabase[];
// The second argument keeps A and the scenarios whose name contains it (or one of its `|`-separated parts).
const only = process.argv[3];
if (only)
  scenarios.splice(
    0,
    scenarios.length,
    ...scenarios.filter((scenario, index) => index === 0 || only.split('|').some(part => scenario.name.includes(part))),
  );
const postgres = wanted.includes('postgresql') && (await postgresAnswers());
if (wanted.includes('postgresql') && !postgres) console.log('PostgreSQL does not answer (MMA_POSTGRES_URL): skipped.');
// The databases are measured side by side: a count does not depend on what else the machine is doing.
const databases = wanted.filter(database => database !== 'postgresql' || postgres);
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  connections,
  requests: [short, long],
};
const figures = await Promise.all(databases.map(measure));
for (const [index, database] of databases.entries()) {
  results[database] = figures[index];
  console.log(
    `\n${database}: instructions a request, ${connections} browsers in turn, ${short} and ${long} requests an instance`,
  );
  console.table(
    figures[index]!.map(({ scenario, instructionsPerRequest, versusA }) => ({
      scenario,
      'instructions/req': instructionsPerRequest,
      'A/B': versusA.toFixed(3),
    })),
  );
}
// Only a run of every scenario on every database replaces the figures the README cites.
if (!only && databases.length === 2) {
  const file = fileURLToPath(new URL('../../bench/instructions.json', import.meta.url));
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nWritten to ${file}`);
}
