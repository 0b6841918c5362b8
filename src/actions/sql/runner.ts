import type { EntityManager } from '@mikro-orm/core';
import { BasePostgreSqlPlatform, NodeSqliteDialect, SqlitePlatform } from '@mikro-orm/sql';
import { NodeSqliteStatementCacheDialect } from '../../sqlite/node-sqlite-statement-cache.ts';
import { boundSqliteRunner } from './bound-sqlite.ts';
import { executePlain } from './plain-run.ts';
import { preparedPostgresRunner } from './prepared-postgres.ts';
import type { Executed, Method, Row, StatementRunner } from './statement-runner.ts';

const runnerByOrm = new WeakMap<object, StatementRunner>();

/** The runner for `em`'s ORM, chosen the first time by its platform and driver options. */
export function statementRunner(em: EntityManager): StatementRunner {
  let runner = runnerByOrm.get(em.config);
  if (!runner) runnerByOrm.set(em.config, (runner = runnerFor(em)));
  return runner;
}

// MariaDB, MySQL and other databases: statements run as any query does.
const plainRunner: StatementRunner = { execute: executePlain, sortsGroupInJavaScript: false, canUpdateInWith: false };
// SQLite through a driver other than node:sqlite (better-sqlite3, libSQL).
const plainSqliteRunner: StatementRunner = { ...plainRunner, sortsGroupInJavaScript: true };

function runnerFor(em: EntityManager): StatementRunner {
  const platform = em.getPlatform();
  if (platform instanceof BasePostgreSqlPlatform) return preparedPostgresRunner(platform);
  if (!(platform instanceof SqlitePlatform)) return plainRunner;
  const dialect = em.config.get('driverOptions');
  const nodeSqlite = dialect instanceof NodeSqliteDialect || dialect instanceof NodeSqliteStatementCacheDialect;
  return nodeSqlite ? boundSqliteRunner : plainSqliteRunner;
}

/** Runs SQL with `?` placeholders as the library's statements run on `em`'s database. */
export function runStatement(
  em: EntityManager,
  statement: { sql: string; params: unknown[] },
  method: 'all',
): Promise<Row[]>;
export function runStatement(
  em: EntityManager,
  statement: { sql: string; params: unknown[] },
  method: 'run',
): Promise<{ affectedRows: number }>;
export function runStatement(
  em: EntityManager,
  { sql, params }: { sql: string; params: unknown[] },
  method: Method,
): Promise<Executed> {
  return statementRunner(em).execute(em, sql, params, method);
}
