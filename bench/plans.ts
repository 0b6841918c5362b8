import { Instance } from './processes.ts';
import { benchDatabase } from './database.ts';
import { signedInSessions } from './sessions.ts';

export interface QueryPlan {
  request: string;
  statement: string;
  plan: string[];
  /** No sequential scan of the link or session table: the group is found through an index. */
  indexed: boolean;
}

const users = 200_000;
const linksPerPrimary = 5;

/** A logged statement as SQL: MikroORM's log line without colours, prefix and timing. */
const sqlOf = (message: string) =>
  message
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colour codes
    .replace(/\u001b\[[0-9;]*m/g, '')
    .replace(/^\[query\] /, '')
    .replace(/ \[took [^\]]*\].*$/, '');

/**
 * The PostgreSQL plans of what the loader, the JSON endpoint and a switch run, over a million link rows
 * (200 000 groups of 5) and 200 000 browser sessions: the statements are the ones a real browser's requests
 * made, taken from the query log, and explained with the table statistics analysed.
 */
export async function groupQueryPlans(): Promise<QueryPlan[]> {
  const { orm, dbName, drop } = await benchDatabase('postgresql');
  const connection = orm.em.getConnection();
  const instance = await Instance.start({
    database: 'postgresql',
    dbName,
    kind: 'multi-account',
    store: 'cookie',
    countStatements: true,
  });
  try {
    await connection.execute(
      "insert into bench_user (name, email) select 'user ' || g, 'user' || g || '@example.com' " +
        `from generate_series(1, ${users}) g`,
    );
    await connection.execute(
      `insert into bench_link (id, session_token, status, inserted_at, updated_at, primary_user_id, linked_user_id)
       select gen_random_uuid(), md5(p::text)::uuid, 'active', now(), now(), p, ((p + k * 7919) % ${users}) + 1
       from generate_series(1, ${users}) p, generate_series(1, ${linksPerPrimary}) k`,
    );
    await connection.execute(
      'insert into multi_account_session (id, generation, expires_at) ' +
        `select md5(p::text)::uuid, 1, now() + interval '1 day' from generate_series(1, ${users}) p`,
    );
    await connection.execute('analyze');
    const [session] = await signedInSessions(orm, instance.url, 1, linksPerPrimary);
    const { browser, primary } = session!;
    const csrf = await browser.csrfToken();
    const requests: [string, () => Promise<unknown>][] = [
      ['loader (GET /)', () => browser.request('GET', '/')],
      ['GET /link/accounts', () => browser.request('GET', '/link/accounts')],
      [
        'POST /link/switch_to',
        () => browser.request('POST', `/link/switch_to/${primary.id}`, undefined, { 'x-csrf-token': csrf }),
      ],
    ];
    const plans: QueryPlan[] = [];
    for (const [request, send] of requests) {
      await instance.usage();
      await send();
      for (const statement of (await instance.usage()).log.map(sqlOf)) {
        const analyse = /^select/i.test(statement) ? 'explain analyze ' : 'explain ';
        const plan = await connection.execute<{ 'QUERY PLAN': string }[]>(analyse + statement).then(
          rows => rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']),
          (error: Error) => [`could not explain it: ${error.message}`],
        );
        plans.push({
          request,
          statement,
          plan,
          indexed: !plan.some((line: string) => /Seq Scan on (bench_link|multi_account_session)\b/.test(line)),
        });
      }
    }
    return plans;
  } finally {
    await instance.close();
    await drop();
  }
}

export function printPlans(plans: QueryPlan[]): void {
  console.log(
    `\nPostgreSQL plans with ${users * linksPerPrimary} link rows and ${users} browser sessions ` +
      "(statements from a real browser's requests)",
  );
  for (const { request, statement, plan, indexed } of plans) {
    const lines = plan.map(line => `    ${line}`).join('\n');
    console.log(`\n${request} — ${indexed ? 'through indexes' : 'SEQUENTIAL SCAN'}\n  ${statement}\n${lines}`);
  }
}
