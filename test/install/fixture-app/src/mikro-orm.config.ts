import type { Options } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { NodeSqliteDialect, SqliteDriver } from '@mikro-orm/sql';
import { User } from './entities/user.js';

const file = process.env.DB_FILE ?? 'app.sqlite';

const config: Options = {
  driver: SqliteDriver,
  dbName: file,
  driverOptions: new NodeSqliteDialect(file),
  entities: [User],
  metadataProvider: ReflectMetadataProvider,
};

export default config;
