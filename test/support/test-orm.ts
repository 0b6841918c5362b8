import { randomBytes } from 'node:crypto';
import { MikroORM, type EntitySchema, type Options } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { withMultiAccount } from '../../src/index.ts';
import { databaseTargets, isSqlite, type DatabaseName } from './database-targets.ts';

export interface TestOrm {
  orm: MikroORM;
  /** Every SQL statement run since the last `queries.length = 0`. */
  queries: string[];
  close(): Promise<void>;
}

/** A MikroORM on a database of its own (a fresh one per call on the servers), schema created unless asked not to. */
export async function createTestOrm(
  database: DatabaseName,
  entities: (Function | EntitySchema<any, any>)[],
  extra: Partial<Options> = {},
  { createSchema = true } = {},
): Promise<TestOrm> {
  const dbName = `mma_${randomBytes(6).toString('hex')}`;
  const queries: string[] = [];
  const orm = await MikroORM.init(
    withMultiAccount({
      ...databaseTargets[database].config(dbName),
      entities,
      metadataProvider: ReflectMetadataProvider,
      debug: ['query'],
      logger: (message: string) => queries.push(message),
      ...extra,
    } as Options),
  );
  if (createSchema) await orm.schema.create();
  queries.length = 0;
  return {
    orm,
    queries,
    async close() {
      if (!isSqlite(database)) await orm.schema.dropDatabase(dbName);
      await orm.close(true);
    },
  };
}

/** SQL statements among logged messages: transaction control (begin/commit/savepoint) is not counted. */
export function dataStatements(queries: string[]): string[] {
  return (
    queries
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colour codes
      .map(message => message.replace(/\u001b\[[0-9;]*m/g, ''))
      .filter(message => message.startsWith('[query]'))
      .filter(
        message =>
          !/^\[query\] (begin|commit|rollback|savepoint|release savepoint|start transaction|set transaction)/i.test(
            message,
          ),
      )
  );
}
