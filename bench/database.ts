import { type Options } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { NodeSqliteDialect, SqliteDriver } from '@mikro-orm/sql';
import { withMultiAccount } from '../src/index.ts';
import { BenchLink, BenchUser } from './entities.ts';

export type BenchDatabase = 'sqlite' | 'postgresql';

export const postgresUrl = process.env.MMA_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
export const redisUrl = process.env.MMA_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The bench's MikroORM config: `name` is a SQLite file or a PostgreSQL database; `onStatement` sees every SQL statement
 * as MikroORM logs it. */
export function benchOrmConfig(database: BenchDatabase, name: string, onStatement?: (message: string) => void): Options {
  const connection: Partial<Options> =
    database === 'sqlite'
      ? { driver: SqliteDriver, dbName: name, driverOptions: new NodeSqliteDialect(name) }
      : { driver: PostgreSqlDriver, clientUrl: postgresUrl, dbName: name };
  return withMultiAccount({
    ...connection,
    entities: [BenchUser, BenchLink],
    metadataProvider: ReflectMetadataProvider,
    ...(onStatement
      ? { debug: ['query', 'query-params'], logger: (message: string) => message.includes('[query]') && onStatement(message) }
      : {}),
  } as Options);
}
