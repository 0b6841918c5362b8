import type { EntityManager } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/sql';
import { CompiledQuery, type Kysely } from 'kysely';
import { runLogged } from './logged-run.ts';
import { plainPlaceholders } from './placeholders.ts';
import { executePlain } from './plain-run.ts';
import type { Executed, Method, Row, StatementRunner } from './statement-runner.ts';

const unsupported = Symbol('unsupported');

/**
 * On node:sqlite (MikroORM's `NodeSqliteDialect` or `NodeSqliteStatementCacheDialect`) statements go with their
 * values bound. `em.execute` writes the values into the SQL instead, which costs a pass over the text and makes
 * every statement's text new, so no dialect could keep it prepared. Values or SQL it cannot send as they are go
 * through `em.execute`.
 */
export const boundSqliteRunner: StatementRunner = {
  execute: executeBound,
  sortsGroupInJavaScript: true,
  canUpdateInWith: false,
};

async function executeBound(em: EntityManager, sql: string, params: unknown[], method: Method): Promise<Executed> {
  const sqlite = await boundSqliteClient(em);
  const text = em.config.get('onQuery')(sql, params);
  const values = plainPlaceholders(text, params.length) ? sqliteValues(params) : null;
  if (!values) return executePlain(em, sql, params, method);
  return runLogged(em, { text, params }, method, async () => {
    const result = await sqlite.executeQuery(CompiledQuery.raw(text, values));
    return { rows: result.rows as Row[], affected: Number(result.numAffectedRows ?? 0) };
  });
}

/** The Kysely client (or transaction) a statement goes to with its values bound, on a node:sqlite dialect. */
export async function boundSqliteClient(em: EntityManager): Promise<Pick<Kysely<unknown>, 'executeQuery'>> {
  const transaction = em.getTransactionContext<Kysely<unknown>>();
  if (transaction) return transaction;
  const connection = em.getDriver().getConnection('write') as AbstractSqlConnection;
  await connection.ensureConnection();
  return connection.getClient() as Kysely<unknown>;
}

/**
 * Values as SQLite reads them written into SQL, or null for any MikroORM would convert further. node:sqlite
 * binds every JavaScript number as a REAL, and a text column compares `5.0` as the text '5.0', not '5': an
 * integer goes as a bigint (an INTEGER, as the literal `5` is). A `Date` is its milliseconds, as MikroORM's
 * SQLite platform writes it. (node:sqlite binds a boolean as 1 or 0, as SQLite reads `true` and `false`.)
 */
export function sqliteValues(params: readonly unknown[]): unknown[] | null {
  const values = params.map(value => {
    if (value === null || typeof value === 'string' || typeof value === 'bigint' || typeof value === 'boolean')
      return value;
    if (typeof value === 'number')
      return Number.isSafeInteger(value) ? BigInt(value) : Number.isFinite(value) ? value : unsupported;
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? unsupported : BigInt(value.getTime());
    return unsupported;
  });
  return values.includes(unsupported) ? null : values;
}
