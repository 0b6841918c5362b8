import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { defineConfig, NodeSqliteDialect, SqliteDriver } from '@mikro-orm/sql';
import { User } from './entities/user.js';

const file = process.env.DB_FILE ?? 'app.sqlite';

export default defineConfig({
  driver: SqliteDriver,
  dbName: file,
  driverOptions: new NodeSqliteDialect(file),
  entities: [User],
  metadataProvider: ReflectMetadataProvider,
});
