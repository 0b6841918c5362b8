import { afterAll, beforeAll, describe, inject } from 'vitest';
import { databaseTargets, isSqlite, type DatabaseName } from './database-targets.ts';
import { pairsUnderTest, type PairUnderTest } from './pairs-under-test.ts';
import { createTestOrm, type TestOrm } from './test-orm.ts';

/** Runs `body` once per database; a database that does not answer here is skipped with its reason in the title. */
export function eachDatabase(body: (database: DatabaseName) => void, only?: DatabaseName[]): void {
  for (const { name, skipReason } of inject('databases').filter(database => !only || only.includes(database.name))) {
    const title = skipReason
      ? `on ${databaseTargets[name].label} — SKIPPED: ${skipReason}`
      : `on ${databaseTargets[name].label}`;
    describe.skipIf(Boolean(skipReason))(title, () => body(name));
  }
}

/**
 * The pairs whose names differ: what a suite about the session (rather than about how entities are declared)
 * needs on the database servers; every pair still runs it on SQLite.
 */
export const namingPairs = ['default names', 'every name renamed'];

/**
 * Runs `body` for every database × entity pair, with a fresh ORM (and database) per combination; with
 * `serverPairs`, only those pairs on the database servers (PostgreSQL, MariaDB).
 */
export function eachDatabaseAndPair(
  body: (context: { database: DatabaseName; pair: PairUnderTest; db: () => TestOrm }) => void,
  { serverPairs }: { serverPairs?: string[] } = {},
): void {
  eachDatabase(database => {
    const onServer = !isSqlite(database) && serverPairs;
    for (const pair of pairsUnderTest.filter(candidate => !onServer || serverPairs.includes(candidate.label))) {
      describe(`with ${pair.label}`, () => {
        let testOrm: TestOrm | undefined;
        beforeAll(async () => {
          testOrm = await createTestOrm(database, pair.entities);
        });
        afterAll(async () => testOrm?.close());
        body({ database, pair, db: () => testOrm! });
      });
    }
  });
}
