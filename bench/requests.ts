import type { BenchBrowser } from './browser.ts';
import { compare, type Comparison, type Side } from './compare.ts';
import { benchDatabase, type BenchDatabase } from './database.ts';
import type { InstanceSpec } from './instance.ts';
import { Instance } from './processes.ts';
import { loadSession, signedInSessions, switchTokensOf, type BenchSession } from './sessions.ts';

export const benchSettings = {
  duration: Number(process.env.BENCH_DURATION ?? 2),
  rounds: Number(process.env.BENCH_ROUNDS ?? 9),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 10),
  /** Which request scenarios run (comma-separated: loader, page, accounts, switch); all by default. */
  scenarios: process.env.BENCH_SCENARIOS?.split(',') ?? ['loader', 'page', 'accounts', 'switch'],
};

export interface RequestFigures {
  scenario: string;
  comparison: Comparison;
  /** SQL statements per request, A and B (B: the same for 1, 5 and 20 links, or each figure listed). */
  statements: { a: string; b: string };
  /** For the switch: 303s answered, and switches the database recorded (they must be equal). */
  switchesRecorded?: { answered: number; recorded: number };
}

/** SQL statements per request: `samples` requests one after another from `browser` to an instance that counts. */
async function statementsPerRequest(
  instance: Instance,
  browser: BenchBrowser,
  method: 'GET' | 'POST',
  paths: string[],
  tokens: string[] = [],
  samples = 20,
): Promise<number> {
  browser.at(instance.url);
  // One request first, not counted: a fresh connection's first statement may be set-up of its own.
  if (method === 'GET') await browser.request(method, paths[0]!);
  const before = (await instance.usage()).statements;
  for (let index = 0; index < samples; index++) {
    // A POST carries its CSRF token as the load generator sends it (and the switcher element): in a header.
    const token = tokens[index % tokens.length];
    const response = await browser.request(method, paths[index % paths.length]!, undefined, {
      ...(token ? { 'x-csrf-token': token } : {}),
    });
    if (response.status !== (method === 'POST' ? 303 : 200))
      throw new Error(`${method} ${paths[index % paths.length]} answered ${response.status}`);
  }
  return ((await instance.usage()).statements - before) / samples;
}

const switchPaths = (session: BenchSession) => [
  `/link/switch_to/${session.primary.id}`,
  `/link/switch_to/${session.linked[0]!.id}`,
];

/**
 * Every scenario on one database: A is the plain app's signed-in GET, B the multi-account path named; each B
 * connection is its own browser, signed in and linked through the app's routes.
 */
export async function measureRequests(database: BenchDatabase): Promise<RequestFigures[]> {
  const { connections } = benchSettings;
  const { orm, dbName, drop } = await benchDatabase(database);
  const spec = (kind: InstanceSpec['kind'], countStatements: boolean): InstanceSpec => ({
    database,
    dbName,
    kind,
    store: 'cookie',
    countStatements,
  });
  // One after another: four processes opening one SQLite file at once can meet SQLITE_BUSY before any of them
  // could set a busy timeout (the dialect opens the file inside MikroORM.init).
  const a = await Instance.start(spec('baseline', false));
  const b = await Instance.start(spec('multi-account', false));
  const countingA = await Instance.start(spec('baseline', true));
  const countingB = await Instance.start(spec('multi-account', true));
  try {
    // One more browser than connections in each mode: the last one counts statements.
    const plain = await signedInSessions(orm, a.url, connections + 1, 0);
    const modes = new Map<number, BenchSession[]>();
    for (const links of [0, 1, 5, 20]) modes.set(links, await signedInSessions(orm, b.url, connections + 1, links));
    const measuring = (sessions: BenchSession[]) => sessions.slice(0, connections);
    const counting = (links: number) => modes.get(links)!.at(-1)!;

    const aStatements = String(await statementsPerRequest(countingA, plain.at(-1)!.browser, 'GET', ['/']));
    const bStatements = async (
      method: 'GET' | 'POST',
      path: (session: BenchSession) => string[],
      linkCounts: number[],
    ) => {
      const counts: number[] = [];
      for (const links of linkCounts)
        counts.push(
          await statementsPerRequest(
            countingB,
            counting(links).browser,
            method,
            path(counting(links)),
            method === 'POST' ? await switchTokensOf(counting(links)) : [],
          ),
        );
      return new Set(counts).size === 1
        ? `${counts[0]}`
        : linkCounts.map((links, index) => `${counts[index]} (${links} links)`).join(', ');
    };
    const aSide: Side = {
      instances: [a],
      method: 'GET',
      expectedStatus: 200,
      sessions: [await Promise.all(measuring(plain).map(session => loadSession(session, ['/'])))],
    };
    const bGet = async (links: number, path: string): Promise<Side> => ({
      instances: [b],
      method: 'GET',
      expectedStatus: 200,
      sessions: [await Promise.all(measuring(modes.get(links)!).map(session => loadSession(session, [path])))],
    });
    const run = (scenario: string, bSide: Side, statements: string): Promise<RequestFigures> =>
      compare(aSide, bSide, benchSettings).then(comparison => ({
        scenario,
        comparison,
        statements: { a: aStatements, b: statements },
      }));

    const figures: RequestFigures[] = [];
    const { scenarios } = benchSettings;
    if (scenarios.includes('loader')) {
      figures.push(
        await run(
          'loader (GET /), signed in, no links',
          await bGet(0, '/'),
          await bStatements('GET', () => ['/'], [0]),
        ),
      );
      for (const links of [1, 5, 20]) {
        figures.push(
          await run(
            `loader (GET /), ${links} linked`,
            await bGet(links, '/'),
            await bStatements('GET', () => ['/'], [links]),
          ),
        );
      }
    }
    if (scenarios.includes('page')) {
      // A page with the default switcher in its header, as the demo shows on every page: B says its pages show
      // the switcher (`switcherOnEveryPage`), so the group comes in the loader's statement.
      const page = await Instance.start(spec('multi-account-page', false));
      const countingPage = await Instance.start(spec('multi-account-page', true));
      try {
        const sessions = await signedInSessions(orm, page.url, connections + 1, 5);
        const pageSide: Side = {
          instances: [page],
          method: 'GET',
          expectedStatus: 200,
          sessions: [await Promise.all(measuring(sessions).map(session => loadSession(session, ['/page'])))],
        };
        const pageStatements = await statementsPerRequest(countingPage, sessions.at(-1)!.browser, 'GET', ['/page']);
        figures.push(await run('a page with the switcher, 5 linked', pageSide, String(pageStatements)));
      } finally {
        await Promise.all([page, countingPage].map(instance => instance.close()));
      }
    }
    if (scenarios.includes('accounts')) {
      figures.push(
        await run(
          'GET /link/accounts, 5 linked',
          await bGet(5, '/link/accounts'),
          await bStatements('GET', () => ['/link/accounts'], [1, 5, 20]),
        ),
      );
    }
    if (!scenarios.includes('switch')) return figures;

    // The switch: each browser switches between its primary and its first linked account, round and round.
    const switchSide: Side = {
      instances: [b],
      method: 'POST',
      expectedStatus: 303,
      sessions: [
        await Promise.all(measuring(modes.get(5)!).map(session => loadSession(session, switchPaths(session), true))),
      ],
    };
    const switchStatements = await bStatements('POST', switchPaths, [1, 5, 20]);
    for (const links of [1, 5, 20]) {
      const acting = await counting(links).browser.actingAs();
      if (acting !== counting(links).linked[0]!.id)
        throw new Error(`after the counted switches, ${links} links: acting as ${acting}`);
    }
    const generations = () =>
      orm.em
        .fork()
        .getConnection()
        .execute<{ total: string | number }[]>('select sum(generation) as total from multi_account_session')
        .then(rows => Number(rows[0]!.total));
    const generationsBefore = await generations();
    figures.push(await run('POST /link/switch_to, 5 linked', switchSide, switchStatements));
    // Every 303 counted must have been a switch the database recorded, not a refusal.
    const switched = (await generations()) - generationsBefore;
    if (switched !== switchSide.answered)
      throw new Error(`${switchSide.answered} switches answered 303, but the database recorded ${switched}`);
    figures.at(-1)!.switchesRecorded = { answered: switchSide.answered ?? 0, recorded: switched };
    return figures;
  } finally {
    await Promise.all([a, b, countingA, countingB].map(instance => instance.close()));
    await drop();
  }
}
