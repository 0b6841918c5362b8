import { afterAll, beforeAll, describe, inject } from 'vitest';
import { databaseTargets, type DatabaseName } from './database-targets.ts';
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

/** Runs `body` for every database × entity pair, with a fresh ORM (and database) per combination. */
export function eachDatabaseAndPair(
  body: (context: { database: DatabaseName; pair: PairUnderTest; db: () => TestOrm }) => void,
): void {
  eachDatabase(database => {
    for (const pair of pairsUnderTest) {
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
