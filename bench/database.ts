import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { SqliteDriver } from '@mikro-orm/sql';
import { NodeSqliteStatementCacheDialect, withMultiAccount } from '../src/index.ts';
import { BenchLink, BenchUser } from './entities.ts';

export type BenchDatabase = 'sqlite' | 'postgresql';

export const postgresUrl = process.env.MMA_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
export const redisUrl = process.env.MMA_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The bench's MikroORM config, the same for both apps: `name` is a SQLite file (through the dialect the README's
 * guide sets up) or a PostgreSQL database; `onStatement` sees every SQL statement as MikroORM logs it.
 */
export function benchOrmConfig(
  database: BenchDatabase,
  name: string,
  onStatement?: (message: string) => void,
): Options {
  const connection: Partial<Options> =
    database === 'sqlite'
      ? { driver: SqliteDriver, dbName: name, driverOptions: new NodeSqliteStatementCacheDialect(name) }
      : { driver: PostgreSqlDriver, clientUrl: postgresUrl, dbName: name };
  return withMultiAccount({
    ...connection,
    entities: [BenchUser, BenchLink],
    metadataProvider: ReflectMetadataProvider,
    ...(onStatement
      ? {
          debug: ['query', 'query-params'],
          logger: (message: string) => message.includes('[query]') && onStatement(message),
        }
      : {}),
  } as Options);
}

/** A fresh database for one measurement, and a way to drop it. */
export async function benchDatabase(
  database: BenchDatabase,
): Promise<{ orm: MikroORM; dbName: string; drop(): Promise<void> }> {
  const dir = database === 'sqlite' ? mkdtempSync(join(tmpdir(), 'mma-bench-')) : undefined;
  const dbName = dir ? join(dir, 'bench.sqlite') : `mma_bench_${randomUUID().slice(0, 8)}`;
  const orm = await MikroORM.init(benchOrmConfig(database, dbName));
  await orm.schema.refresh();
  // What a production SQLite app runs in: write-ahead logging, so a commit is not a rollback journal's syncs.
  if (database === 'sqlite') await orm.em.getConnection().execute('pragma journal_mode = wal');
  return {
    orm,
    dbName,
    async drop() {
      if (database === 'postgresql') await orm.schema.dropDatabase(dbName);
      await orm.close(true);
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postgresAnswers(): Promise<boolean> {
  try {
    const orm = await MikroORM.init({
      driver: PostgreSqlDriver,
      clientUrl: postgresUrl,
      entities: [],
      discovery: { warnWhenNoEntities: false },
    });
    await orm.close(true);
    return true;
  } catch {
    return false;
  }
}
