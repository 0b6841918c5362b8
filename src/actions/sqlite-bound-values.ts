import type { EntityManager } from '@mikro-orm/core';
import { NodeSqliteDialect, SqlitePlatform, type AbstractSqlConnection } from '@mikro-orm/sql';
import type { Kysely } from 'kysely';
import { NodeSqliteStatementCacheDialect } from '../sqlite/node-sqlite-statement-cache.ts';

const unsupported = Symbol('unsupported');

/**
 * The Kysely client (or transaction) a library statement can go to with its values bound, on node:sqlite
 * through MikroORM's `NodeSqliteDialect` or `NodeSqliteStatementCacheDialect`; null elsewhere. `em.execute`
 * writes the values into the SQL instead, which costs a pass over the text and makes every statement's text
 * new, so no dialect could keep it prepared.
 */
export async function boundSqliteClient(em: EntityManager): Promise<Pick<Kysely<unknown>, 'executeQuery'> | null> {
  const dialect = em.config.get('driverOptions');
  if (
    !(em.getPlatform() instanceof SqlitePlatform) ||
    !(dialect instanceof NodeSqliteDialect || dialect instanceof NodeSqliteStatementCacheDialect)
  )
    return null;
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
