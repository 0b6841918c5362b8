import { MikroORM, type Options } from '@mikro-orm/core';
import { MariaDbDriver } from '@mikro-orm/mariadb';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { NodeSqliteDialect, SqliteDriver } from '@mikro-orm/sql';
import { NodeSqliteStatementCacheDialect } from '../../src/index.ts';

export type DatabaseName = 'sqlite' | 'sqlite-uncached' | 'postgresql' | 'mariadb';

/** Both SQLite targets: node:sqlite in memory, under the library's statement-keeping dialect or MikroORM's own. */
export const isSqlite = (name: DatabaseName): boolean => name === 'sqlite' || name === 'sqlite-uncached';

/** Where each database lives; the server ones can be pointed elsewhere through the environment. */
export const databaseTargets: Record<
  DatabaseName,
  { label: string; url?: string; config(dbName: string): Partial<Options> }
> = {
  sqlite: {
    label: 'SQLite (node:sqlite, in memory)',
    config: () => ({
      driver: SqliteDriver,
      dbName: ':memory:',
      driverOptions: new NodeSqliteStatementCacheDialect(':memory:'),
    }),
  },
  'sqlite-uncached': {
    label: "SQLite (node:sqlite, in memory, MikroORM's NodeSqliteDialect)",
    config: () => ({ driver: SqliteDriver, dbName: ':memory:', driverOptions: new NodeSqliteDialect(':memory:') }),
  },
  postgresql: {
    label: 'PostgreSQL',
    url: process.env.MMA_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test',
    config: dbName => ({ driver: PostgreSqlDriver, clientUrl: databaseTargets.postgresql.url, dbName }),
  },
  mariadb: {
    label: 'MariaDB',
    url: process.env.MMA_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test',
    config: dbName => ({ driver: MariaDbDriver, clientUrl: databaseTargets.mariadb.url, dbName, pool: { max: 25 } }),
  },
};

/** Why a database cannot be used here, or undefined when it answers. */
export async function unavailabilityOf(name: DatabaseName): Promise<string | undefined> {
  const target = databaseTargets[name];
  if (!target.url) return undefined;
  try {
    const orm = await MikroORM.init({
      ...target.config(new URL(target.url).pathname.slice(1)),
      entities: [],
      discovery: { warnWhenNoEntities: false },
      connect: false,
      pool: { min: 0, max: 1 },
    } as Options);
    try {
      await orm.em.getConnection().execute('select 1');
    } finally {
      await orm.close(true);
    }
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return `${target.label} at ${target.url} is not reachable (${reason})`;
  }
}
