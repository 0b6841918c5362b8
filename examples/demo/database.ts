import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { SqliteDriver } from '@mikro-orm/sql';
import { NodeSqliteStatementCacheDialect, withMultiAccount } from '../../src/index.ts';
import { LinkedAccount, Membership, Note, Team, User } from './entities.ts';

/**
 * The embedded database (a node:sqlite file under `dataDir`), or PostgreSQL when `databaseUrl` is given.
 * The schema is created or updated at boot.
 */
export async function openDatabase({
  dataDir,
  databaseUrl,
}: {
  dataDir: string;
  databaseUrl?: string;
}): Promise<MikroORM> {
  const common = { entities: [User, LinkedAccount, Team, Membership, Note], metadataProvider: ReflectMetadataProvider };
  let config: Partial<Options>;
  if (databaseUrl) {
    const { PostgreSqlDriver } = await import('@mikro-orm/postgresql');
    config = { ...common, driver: PostgreSqlDriver, clientUrl: databaseUrl };
  } else {
    mkdirSync(dataDir, { recursive: true });
    const file = resolve(dataDir, 'demo.sqlite');
    config = {
      ...common,
      driver: SqliteDriver,
      dbName: file,
      driverOptions: new NodeSqliteStatementCacheDialect(file),
    };
  }
  const orm = await MikroORM.init(withMultiAccount(config) as Options);
  await orm.schema.update();
  return orm;
}
