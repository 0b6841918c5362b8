/**
 * `npm run bench`: the per-request cost of multi-account loading against a plain session app, the SQL
 * statements per request (counted from MikroORM's query log), and the startup cost of the discovery pass.
 * Prints a table per database and writes everything to bench/results.json.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MikroORM, type Options } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { NodeSqliteDialect, SqliteDriver } from '@mikro-orm/sql';
import autocannon from 'autocannon';
import { BrowserSessions } from '../src/actions/browser-sessions.ts';
import { withMultiAccount } from '../src/index.ts';
import { startBenchApp } from './apps.ts';
import { BenchLink, BenchUser } from './entities.ts';
import { measureStartup } from './startup.ts';

const duration = Number(process.env.BENCH_DURATION ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const postgresUrl = process.env.MMA_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

interface Scenario {
  name: string;
  app: 'baseline' | 'multi-account';
  method: 'GET' | 'POST';
  path: string;
  session: { user: number; primary?: number; token?: string };
  csrf?: boolean;
}

interface Figure {
  scenario: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ratioToBaseline: number;
  statementsPerRequest: number;
  errors: number;
}

/** The same database opened twice: with the query log (to count statements) and without (to measure speed). */
async function openOrms(database: 'sqlite' | 'postgresql', dataDir: string, countStatement: () => void): Promise<{ counting: MikroORM; fast: MikroORM }> {
  const file = join(dataDir, 'bench.sqlite');
  const connection: Partial<Options> =
    database === 'sqlite'
      ? { driver: SqliteDriver, dbName: file, driverOptions: new NodeSqliteDialect(file) }
      : { driver: PostgreSqlDriver, clientUrl: postgresUrl, dbName: `mma_bench_${randomUUID().slice(0, 8)}` };
  const open = (debug: boolean) =>
    MikroORM.init(
      withMultiAccount({
        ...connection,
        entities: [BenchUser, BenchLink],
        metadataProvider: ReflectMetadataProvider,
        debug: debug ? ['query'] : false,
        logger: (message: string) => {
          if (debug && message.includes('[query]')) countStatement();
        },
      } as Options),
    );
  const counting = await open(true);
  await counting.schema.refresh();
  return { counting, fast: await open(false) };
}

/** A primary with `links` linked accounts in one session token; the session acts as the last linked one. */
async function group(orm: MikroORM, links: number): Promise<Scenario['session']> {
  const em = orm.em.fork();
  const make = (label: string) => em.create(BenchUser, { name: label, email: `${label}-${randomUUID().slice(0, 8)}@example.com` });
  const primary = make(`primary-of-${links}`);
  const others = Array.from({ length: links }, (_, index) => make(`linked-${index}-of-${links}`));
  await em.flush();
  const { token } = await new BrowserSessions(em, 24 * 60 * 60 * 1000).start();
  for (const other of others) await em.getRepository(BenchLink).createLinkedAccount({ actor: primary, linkedUser: other, sessionToken: token });
  return { user: others.at(-1)?.id ?? primary.id, primary: primary.id, token };
}

async function cookieFor(url: string, session: Scenario['session'], csrf: boolean): Promise<{ cookie: string; csrfToken?: string }> {
  const query = new URLSearchParams({ user: String(session.user), token: session.token!, ...(session.primary ? { primary: String(session.primary) } : {}) });
  const started = await fetch(`${url}/bench/session?${query}`);
  let cookie = started.headers.getSetCookie().map(header => header.split(';')[0]).join('; ');
  if (!csrf) return { cookie };
  const accounts = await fetch(`${url}/link/accounts`, { headers: { cookie } });
  cookie = accounts.headers.getSetCookie().map(header => header.split(';')[0]).join('; ') || cookie;
  return { cookie, csrfToken: ((await accounts.json()) as { csrfToken: string }).csrfToken };
}

async function measure(database: 'sqlite' | 'postgresql'): Promise<Figure[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mma-bench-'));
  let statements = 0;
  const { counting, fast: orm } = await openOrms(database, dataDir, () => statements++);
  try {
    const solo = await group(counting, 0);
    const sessions = { 1: await group(counting, 1), 5: await group(counting, 5), 20: await group(counting, 20) };
    const apps = { baseline: await startBenchApp(orm, 'baseline'), 'multi-account': await startBenchApp(orm, 'multi-account') };
    const countingApps = { baseline: await startBenchApp(counting, 'baseline'), 'multi-account': await startBenchApp(counting, 'multi-account') };
    const scenarios: Scenario[] = [
      { name: 'baseline: plain session app, user by id', app: 'baseline', method: 'GET', path: '/', session: { user: solo.user, token: solo.token } },
      { name: 'loadMultiAccount, standard mode', app: 'multi-account', method: 'GET', path: '/', session: { user: solo.user, token: solo.token } },
      { name: 'loadMultiAccount, 1 linked account', app: 'multi-account', method: 'GET', path: '/', session: sessions[1] },
      { name: 'loadMultiAccount, 5 linked accounts', app: 'multi-account', method: 'GET', path: '/', session: sessions[5] },
      { name: 'loadMultiAccount, 20 linked accounts', app: 'multi-account', method: 'GET', path: '/', session: sessions[20] },
      { name: 'GET /link/accounts (JSON), 5 links', app: 'multi-account', method: 'GET', path: '/link/accounts', session: sessions[5] },
      { name: 'POST /link/switch_to, 5 links', app: 'multi-account', method: 'POST', path: `/link/switch_to/${sessions[5].primary}`, session: sessions[5], csrf: true },
    ];
    const figures: Figure[] = [];
    // Warm both apps up first (JIT, pools, statement caches), so the first scenario is not measured cold.
    for (const scenario of scenarios.slice(0, 3)) {
      const { url } = apps[scenario.app];
      const { cookie } = await cookieFor(url, scenario.session, false);
      await autocannon({ url: url + scenario.path, headers: { cookie }, connections, duration: Math.max(1, duration / 2) });
    }
    for (const scenario of scenarios) {
      const { url } = apps[scenario.app];
      const { cookie, csrfToken } = await cookieFor(url, scenario.session, Boolean(scenario.csrf));
      const headers: Record<string, string> = { cookie, ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) };
      // Statements: counted over sequential requests to the twin app whose ORM logs queries (the session
      // cookie works on both: same signing key); throughput is measured on the app without the log.
      statements = 0;
      const samples = 20;
      const countingUrl = countingApps[scenario.app].url;
      for (let index = 0; index < samples; index++) await (await fetch(countingUrl + scenario.path, { method: scenario.method, headers, redirect: 'manual' })).arrayBuffer();
      const statementsPerRequest = statements / samples;
      const result = await autocannon({ url: url + scenario.path, method: scenario.method, headers, connections, duration });
      const expectedStatus = scenario.method === 'POST' ? 303 : 200;
      const errors = result.errors + result.timeouts + (expectedStatus === 200 ? result.non2xx : result['2xx']);
      figures.push({
        scenario: scenario.name,
        requestsPerSecond: Math.round(result.requests.average),
        p50: result.latency.p50,
        p99: result.latency.p99,
        ratioToBaseline: 0,
        statementsPerRequest,
        errors,
      });
    }
    const baseline = figures[0]!.requestsPerSecond;
    for (const figure of figures) figure.ratioToBaseline = Number((figure.requestsPerSecond / baseline).toFixed(2));
    await Promise.all([...Object.values(apps), ...Object.values(countingApps)].map(app => app.close()));
    return figures;
  } finally {
    await orm.close(true);
    if (database === 'postgresql') await counting.schema.dropDatabase(counting.config.get('dbName'));
    await counting.close(true);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function postgresAnswers(): Promise<boolean> {
  try {
    const orm = await MikroORM.init({ driver: PostgreSqlDriver, clientUrl: postgresUrl, entities: [], discovery: { warnWhenNoEntities: false } });
    await orm.close(true);
    return true;
  } catch {
    return false;
  }
}

function print(title: string, figures: Figure[]): void {
  console.log(`\n${title} — ${connections} connections, ${duration} s each`);
  console.table(
    figures.map(figure => ({
      scenario: figure.scenario,
      'req/s': figure.requestsPerSecond,
      'p50 ms': figure.p50,
      'p99 ms': figure.p99,
      'vs baseline': figure.ratioToBaseline,
      'SQL/request': figure.statementsPerRequest,
      errors: figure.errors,
    })),
  );
}

const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, duration, connections };
results.sqlite = await measure('sqlite');
print('SQLite (node:sqlite file)', results.sqlite as Figure[]);
if (await postgresAnswers()) {
  results.postgresql = await measure('postgresql');
  print('PostgreSQL', results.postgresql as Figure[]);
} else {
  console.log(`\nPostgreSQL at ${postgresUrl} does not answer: its figures are skipped.`);
}
results.startup = await measureStartup();
console.log('\nStartup: MikroORM.init (discovery; with multi-account also transform and verify), median of 3');
console.table(results.startup);
const file = fileURLToPath(new URL('../../bench/results.json', import.meta.url));
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nWritten to ${file}`);
