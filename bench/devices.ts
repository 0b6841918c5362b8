/**
 * `npm run bench:devices`: PostgreSQL's plan and timing of `listBrowserSessions`' one statement over a large
 * table — 1 M links, 200 k browser sessions, 100 k users — so the index it uses is seen, not assumed.
 */
import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/core';
import { browserSessionsQuery, listBrowserSessions } from '../src/actions/account-sessions.ts';
import { multiAccountPair } from '../src/actions/multi-account-pair.ts';
import { benchDatabase } from './database.ts';
import { BenchLink, BenchUser } from './entities.ts';

const users = 100_000;
const sessions = 200_000;
const links = 1_000_000;

const database = await benchDatabase('postgresql');
try {
  const em = database.orm.em.fork();
  const connection = em.getConnection();
  const column = (entity: Function, property: string) =>
    em.getMetadata().get(entity).properties[property]!.fieldNames[0]!;
  const started = Date.now();
  await connection.execute(
    `insert into bench_user (id, name, email, status)
     select i, 'user ' || i, 'user' || i || '@example.com', 'active' from generate_series(1, ${users}) i`,
  );
  // Half the sessions are one account alone, half a group whose primary is that account.
  await connection.execute(
    `insert into multi_account_session
       (id, generation, previous_accepted, acting_id, primary_id, expires_at, created_at, last_used_at, device)
     select gen_random_uuid(), 1, false, (i % ${users} + 1)::text,
       case when i % 2 = 0 then (i % ${users} + 1)::text end, now() + interval '30 days', now(),
       now() - i * interval '1 second', 'Chrome on Linux'
     from generate_series(1, ${sessions}) i`,
  );
  await connection.execute(
    `insert into multi_account_session_account (session_id, user_id, signed_in_at)
     select id, acting_id, created_at from multi_account_session`,
  );
  const [token, status, primary, linked, inserted, updated] = [
    'sessionToken',
    'status',
    'primaryUser',
    'linkedUser',
    'insertedAt',
    'updatedAt',
  ].map(property => column(BenchLink, property));
  // Each group session links 10 accounts (links / groups of them).
  await connection.execute(
    `insert into bench_link (id, ${token}, ${status}, ${primary}, ${linked}, ${inserted}, ${updated})
     select gen_random_uuid(), s.id, 'active', s.primary_id::int, ((s.primary_id::int + k * 7919) % ${users}) + 1,
       now(), now()
     from (select id, primary_id from multi_account_session where primary_id is not null) s
       cross join generate_series(1, ${Math.round(links / (sessions / 2))}) k`,
  );
  await connection.execute(
    `insert into multi_account_session_account (session_id, user_id, signed_in_at)
     select ${token}, ${linked}::text, ${inserted} from bench_link on conflict do nothing`,
  );
  await connection.execute('analyze');
  const counted = await connection.execute(
    `select (select count(*) from bench_link) as links, (select count(*) from multi_account_session) as sessions,
       (select count(*) from multi_account_session_account) as sign_ins`,
  );
  console.log(`filled in ${((Date.now() - started) / 1000).toFixed(0)} s:`, counted[0]);
  await explain(em, 4242);
} finally {
  await database.drop();
}

async function explain(em: EntityManager, userId: number): Promise<void> {
  const pair = multiAccountPair(em, BenchUser);
  const { sql, params } = browserSessionsQuery(em, pair, userId).toQuery();
  const plan = await em.getConnection().execute(`explain (analyze, buffers) ${sql}`, [...params]);
  console.log(`\nlistBrowserSessions(em, ${userId}):\n${sql}\n`);
  for (const row of plan as Record<string, string>[]) console.log(Object.values(row)[0]);
  const times: number[] = [];
  for (let run = 0; run < 50; run++) {
    const start = process.hrtime.bigint();
    const found = await listBrowserSessions(em.fork(), userId, { userEntity: BenchUser });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (run === 0) console.log(`\n${found.length} browser sessions found`);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.floor(q * (times.length - 1))]!.toFixed(2);
  console.log(`50 runs, ms: min ${at(0)}, median ${at(0.5)}, p90 ${at(0.9)}, max ${at(1)}`);
}
