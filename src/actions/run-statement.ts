import type { EntityManager } from '@mikro-orm/core';
import { BasePostgreSqlPlatform, type AbstractSqlConnection } from '@mikro-orm/sql';
import { CompiledQuery } from 'kysely';
import { sqlEntityManager } from './sql-entity-manager.ts';
import { boundSqliteClient, sqliteValues } from './sqlite-bound-values.ts';

/** What the library needs of node-postgres's `Pool`: named statements are prepared once per connection. */
interface PgPool {
  query(config: {
    name: string;
    text: string;
    values: unknown[];
  }): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
  totalCount: number;
}

/** A statement as PostgreSQL is sent it: `$n` placeholders, under a name of its own on every connection. */
interface PreparedText {
  name: string;
  text: string;
}

// Statement shapes are few (one per query, number of ids and condition); past this many something varies
// that should not, and further shapes run unprepared rather than fill every connection.
const maxPreparedShapes = 500;
const unsupported = Symbol('unsupported');
const poolByClient = new WeakMap<object, PgPool | null>();
const preparedByPool = new WeakMap<PgPool, Map<string, PreparedText | null>>();

/**
 * Runs one of the library's reused statements (`compiledQuery`'s SQL with `?` placeholders). On PostgreSQL
 * through node-postgres, outside a transaction and without a session context, it runs as a named prepared
 * statement: PostgreSQL parses and plans it once per connection rather than on every request, which was most
 * of its cost (the JSON endpoint's statement: 0.30 ms as SQL with values inlined, 0.08 ms prepared, by
 * pgbench). On node:sqlite it goes with its values bound, so its text stays the same from request to request.
 * It is logged as MikroORM logs a query, and its errors are MikroORM's. Everywhere else, and for values or SQL
 * it cannot send as they are, it runs through `em.execute` as any query does.
 */
export async function runStatement(
  em: EntityManager,
  statement: { sql: string; params: unknown[] },
  method: 'all',
): Promise<Record<string, unknown>[]>;
export async function runStatement(
  em: EntityManager,
  statement: { sql: string; params: unknown[] },
  method: 'run',
): Promise<{ affectedRows: number }>;
export async function runStatement(
  em: EntityManager,
  { sql, params }: { sql: string; params: unknown[] },
  method: 'all' | 'run',
): Promise<unknown> {
  const pool = await preparingPool(em);
  if (pool) {
    const text = em.config.get('onQuery')(sql, params);
    const prepared = preparedText(pool, text, params.length);
    const values = prepared && bindValues(em.getPlatform() as BasePostgreSqlPlatform, params);
    if (prepared && values) {
      try {
        return await runPrepared(em, pool, prepared, values, { text, params }, method);
      } catch (error) {
        if (!preparedStatementsUnreliable(error)) throw error;
        // A pooler between us and PostgreSQL (PgBouncer in transaction mode) or a `DISCARD ALL` lost the
        // statement: the statement never ran, so it runs unprepared, as this pool's statements will from now on.
        poolByClient.set(writeConnection(em).getClient(), null);
      }
    }
  }
  const sqlite = await boundSqliteClient(em);
  if (sqlite) {
    const text = em.config.get('onQuery')(sql, params);
    const values = plainPlaceholders(text, params.length) ? sqliteValues(params) : null;
    if (values) {
      return await runLogged(em, { text, params }, method, async () => {
        const result = await sqlite.executeQuery(CompiledQuery.raw(text, values));
        return { rows: result.rows as Record<string, unknown>[], affected: Number(result.numAffectedRows ?? 0) };
      });
    }
  }
  return sqlEntityManager(em).execute(sql, params, method as 'all');
}

/** "prepared statement does not exist" (26000) or "already exists" (42P05): the connection is not the one that prepared it. */
function preparedStatementsUnreliable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code; // MikroORM's exception keeps the driver's code
  return code === '26000' || code === '42P05';
}

function runPrepared(
  em: EntityManager,
  pool: PgPool,
  prepared: PreparedText,
  values: unknown[],
  logged: { text: string; params: unknown[] },
  method: 'all' | 'run',
) {
  return runLogged(em, logged, method, async () => {
    const result = await queryPrepared(pool, prepared, values);
    return { rows: result.rows, affected: result.rowCount ?? 0 };
  });
}

/** Runs a statement MikroORM's connection does not see: logged as it logs a query, failing with its errors. */
async function runLogged(
  em: EntityManager,
  logged: { text: string; params: unknown[] },
  method: 'all' | 'run',
  run: () => Promise<{ rows: Record<string, unknown>[]; affected: number }>,
) {
  const started = Date.now();
  try {
    const { rows, affected } = await run();
    const took = Date.now() - started;
    logStatement(em, logged, method === 'all' ? { took, results: rows.length } : { took, affected });
    return method === 'all' ? rows : { affectedRows: affected };
  } catch (error) {
    logStatement(em, logged, { took: Date.now() - started, level: 'error' });
    throw em.getDriver().convertException(error as Error);
  }
}

/** The node-postgres pool behind `em`, when this statement can go to it directly (no transaction or session context to honour). */
async function preparingPool(em: EntityManager): Promise<PgPool | null> {
  if (!(em.getPlatform() instanceof BasePostgreSqlPlatform)) return null;
  if (em.getTransactionContext() || em.getSessionContext() || em.config.get('sessionContext') === 'connection')
    return null;
  const connection = writeConnection(em);
  const client = connection.getClient();
  let pool = poolByClient.get(client);
  if (pool === undefined) {
    pool = nodePostgresPool(await connection.getNativeClient().catch(() => undefined));
    poolByClient.set(client, pool);
  }
  return pool;
}

/** The connection `em.execute` uses outside a transaction; pools are kept by its Kysely client, which MikroORM makes anew (with a new pool) when it reconnects. */
function writeConnection(em: EntityManager): AbstractSqlConnection {
  return em.getDriver().getConnection('write') as AbstractSqlConnection;
}

/** node-postgres's Pool; PGlite and other PostgreSQL clients take no named statements (nor does a Kysely instance passed in `driverOptions`, whose client MikroORM does not hold). */
function nodePostgresPool(client: unknown): PgPool | null {
  const candidate = client as Partial<PgPool> | undefined;
  return candidate && typeof candidate.query === 'function' && typeof candidate.totalCount === 'number'
    ? (candidate as PgPool)
    : null;
}

/**
 * The statement with `$n` placeholders and a name, made once per SQL text. SQL whose `?`s are not one per
 * value (see `plainPlaceholders`; an `onQuery` hook may have written one) is not sent prepared.
 */
function preparedText(pool: PgPool, sql: string, valueCount: number): PreparedText | null {
  let byText = preparedByPool.get(pool);
  if (!byText) preparedByPool.set(pool, (byText = new Map()));
  let prepared = byText.get(sql);
  if (prepared === undefined) {
    if (byText.size >= maxPreparedShapes) return null;
    prepared = plainPlaceholders(sql, valueCount)
      ? {
          name: `mma_${byText.size + 1}`,
          text: sql.split('?').reduce((text, part, index) => `${text}$${index}${part}`),
        }
      : null;
    byText.set(sql, prepared);
  }
  return prepared;
}

/** Whether each `?` in the SQL is one value's placeholder: MikroORM reads `??` as an identifier and `\?` as a question mark (see `Platform.formatQuery`). */
function plainPlaceholders(sql: string, valueCount: number): boolean {
  if (sql.includes('??') || sql.includes('\\?')) return false;
  let count = 0;
  for (let at = sql.indexOf('?'); at !== -1; at = sql.indexOf('?', at + 1)) count++;
  return count === valueCount;
}

/** Values as MikroORM would write them into the SQL (dates in its time zone), or null for any it would convert further. */
function bindValues(platform: BasePostgreSqlPlatform, params: readonly unknown[]): unknown[] | null {
  const values = params.map(value => {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      return value;
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Date) return platform.formatDate(value);
    return unsupported;
  });
  return values.includes(unsupported) ? null : values;
}

/**
 * Runs a named statement. A connection that prepared it before a migration changed a table it reads fails
 * with "cached plan must not change result type" (0A000): the statement is then prepared again under a new name.
 */
async function queryPrepared(pool: PgPool, prepared: PreparedText, values: unknown[]) {
  try {
    return await pool.query({ name: prepared.name, text: prepared.text, values });
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (code !== '0A000' || !/cached plan must not change result type/.test(String(message))) throw error;
    prepared.name = `${prepared.name.replace(/_v\d+$/, '')}_v${Date.now()}`;
    return await pool.query({ name: prepared.name, text: prepared.text, values });
  }
}

/** Logs the statement as MikroORM's connection logs a query (`debug`, `query-params`, the slow-query log). */
function logStatement(
  em: EntityManager,
  { text, params }: { text: string; params: readonly unknown[] },
  context: { took: number; results?: number; affected?: number; level?: 'error' },
) {
  const logger = em.config.getLogger();
  const threshold = em.config.get('slowQueryThreshold');
  const slow = threshold != null && context.took >= threshold;
  if (!slow && !logger.isEnabled('query')) return;
  const query = logger.isEnabled('query-params') || slow ? em.getPlatform().formatQuery(text, params) : text;
  logger.logQuery({ level: 'info', ...context, query });
  if (slow) em.config.getSlowQueryLogger().logQuery({ ...context, query, enabled: true });
}
