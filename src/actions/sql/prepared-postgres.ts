import type { EntityManager } from '@mikro-orm/core';
import type { AbstractSqlConnection, BasePostgreSqlPlatform } from '@mikro-orm/sql';
import { runLogged } from './logged-run.ts';
import { plainPlaceholders } from './placeholders.ts';
import { executePlain } from './plain-run.ts';
import type { Executed, Method, StatementRunner } from './statement-runner.ts';

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
 * On PostgreSQL through node-postgres, outside a transaction and without a session context, a statement runs
 * as a named prepared statement: PostgreSQL parses and plans it once per connection rather than on every
 * request, which was most of its cost. It is logged as MikroORM logs a query, and its errors are MikroORM's.
 * Inside a transaction or session context, and for values or SQL it cannot send as they are, it runs through
 * `em.execute` as any query does.
 */
export function preparedPostgresRunner(platform: BasePostgreSqlPlatform): StatementRunner {
  const execute = async (em: EntityManager, sql: string, params: unknown[], method: Method): Promise<Executed> => {
    const pool = await preparingPool(em);
    if (pool) {
      const text = em.config.get('onQuery')(sql, params);
      const prepared = preparedText(pool, text, params.length);
      const values = prepared && bindValues(platform, params);
      if (prepared && values) {
        try {
          return await runLogged(em, { text, params }, method, async () => {
            const result = await queryPrepared(pool, prepared, values);
            return { rows: result.rows, affected: result.rowCount ?? 0 };
          });
        } catch (error) {
          if (!preparedStatementsUnreliable(error)) throw error;
          // A pooler between us and PostgreSQL (PgBouncer in transaction mode) or a `DISCARD ALL` lost the
          // statement: it never ran, so it runs unprepared, as this pool's statements will from now on.
          poolByClient.set(writeConnection(em).getClient(), null);
        }
      }
    }
    return executePlain(em, sql, params, method);
  };
  return { execute, sortsGroupInJavaScript: false, canUpdateInWith: true };
}

/** "prepared statement does not exist" (26000) or "already exists" (42P05): another connection prepared it. */
function preparedStatementsUnreliable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code; // MikroORM's exception keeps the driver's code
  return code === '26000' || code === '42P05';
}

/** The node-postgres pool behind `em`, when a statement can go to it directly (no transaction or session context). */
async function preparingPool(em: EntityManager): Promise<PgPool | null> {
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

/**
 * The connection `em.execute` uses outside a transaction. Pools are kept by its Kysely client, which MikroORM
 * makes anew (with a new pool) when it reconnects.
 */
function writeConnection(em: EntityManager): AbstractSqlConnection {
  return em.getDriver().getConnection('write') as AbstractSqlConnection;
}

/**
 * node-postgres's Pool. PGlite and other PostgreSQL clients take no named statements, nor does a Kysely
 * instance passed in `driverOptions` (MikroORM does not hold its client).
 */
function nodePostgresPool(client: unknown): PgPool | null {
  const candidate = client as Partial<PgPool> | undefined;
  return candidate && typeof candidate.query === 'function' && typeof candidate.totalCount === 'number'
    ? (candidate as PgPool)
    : null;
}

/**
 * The statement with `$n` placeholders and a name, made once per SQL text. SQL whose `?`s are not one per
 * value (see `plainPlaceholders`) is not sent prepared.
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

/** Values as MikroORM would write them into the SQL (dates in its time zone), or null for any it converts further. */
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
