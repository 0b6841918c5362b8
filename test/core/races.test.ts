import { randomUUID } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryingTransaction } from '../../src/actions/retrying-transaction.ts';
import { MultiAccountError } from '../../src/index.ts';
import { isSqlite } from '../support/database-targets.ts';
import { eachDatabase } from '../support/matrix.ts';
import { pairsUnderTest } from '../support/pairs-under-test.ts';
import { createTestOrm, type TestOrm } from '../support/test-orm.ts';
import { newUsers as createUsers } from '../support/users.ts';

/**
 * Concurrent link actions on every database. On PostgreSQL and MariaDB they show the locking; SQLite has a
 * single writer, so there they show that nothing fails when the requests queue up.
 */
eachDatabase(database => {
  for (const pair of pairsUnderTest) {
    describe(`with ${pair.label}`, () => {
      let db: TestOrm;
      beforeAll(async () => {
        db = await createTestOrm(database, pair.entities, { pool: { min: 0, max: 25 } });
      });
      afterAll(() => db?.close());

      const { names } = pair;
      const fork = () => db.orm.em.fork();
      const links = (em: EntityManager) => em.getRepository(pair.linkClass) as any;
      const idOf = (user: any) => user[pair.userId];
      const link = (primary: any, linked: any, sessionToken: string) =>
        links(fork())[names.create]({ actor: primary, linkedUser: linked, sessionToken });
      const settle = async <T>(work: Promise<T>[]) => {
        const results = await Promise.allSettled(work);
        return {
          done: results.filter(result => result.status === 'fulfilled').length,
          errors: results
            .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
            .map(result => result.reason),
        };
      };
      const codesOf = (errors: unknown[]) =>
        errors.map(error => (error instanceof MultiAccountError ? error.code : String(error)));

      it('creates links for 50 independent primaries at once without a single error', async () => {
        const users = await createUsers(db.orm, pair, 100);
        const primaries = users.slice(0, 50);
        const { done, errors } = await settle(
          primaries.map((primary, index) => link(primary, idOf(users[50 + index]), randomUUID())),
        );
        expect(codesOf(errors)).toEqual([]);
        expect(done).toBe(50);
        expect(await fork().count(pair.linkClass, { [names.primary]: { $in: primaries.map(idOf) } } as never)).toBe(50);
      });

      it('holds the maximum exactly when 50 creations race into one group', async () => {
        const [primary, ...others] = await createUsers(db.orm, pair, 51);
        const token = randomUUID();
        const { done, errors } = await settle(others.map(other => link(primary, idOf(other), token)));
        expect(done).toBe(pair.max);
        expect(new Set(codesOf(errors))).toEqual(new Set(['MAX_LINKED_ACCOUNTS']));
        expect(
          await fork().count(pair.linkClass, { [names.primary]: idOf(primary), [names.token]: token } as never),
        ).toBe(pair.max);
      });

      it('stores one row when the same link is created 20 times at once', async () => {
        const [alice, bob] = await createUsers(db.orm, pair, 2);
        const token = randomUUID();
        const { done, errors } = await settle(Array.from({ length: 20 }, () => link(alice, idOf(bob), token)));
        expect(done).toBe(1);
        expect(new Set(codesOf(errors))).toEqual(new Set(['ALREADY_LINKED']));
        expect(await fork().count(pair.linkClass, { [names.token]: token } as never)).toBe(1);
      });

      // SQLite's single writer cannot deadlock (the second transaction would wait for the first forever): not there.
      if (!isSqlite(database))
        it('runs a transaction again when the database ends it for a deadlock', async () => {
          const [a, b] = await createUsers(db.orm, pair, 2);
          const lock = (em: EntityManager, user: any) =>
            em.findOne(pair.userClass, { [pair.userId]: idOf(user) } as never, {
              lockMode: LockMode.PESSIMISTIC_WRITE,
              refresh: true,
            });
          // Two transactions lock the same two rows in opposite order, each waiting until the other holds its first.
          let arrived = 0;
          let release!: () => void;
          const bothHoldOne = new Promise<void>(resolve => (release = resolve));
          let attempts = 0;
          const crossing = (first: any, second: any) =>
            retryingTransaction(fork(), async em => {
              attempts++;
              await lock(em, first);
              if (++arrived === 2) release();
              await bothHoldOne;
              await lock(em, second);
              return idOf(first);
            });
          expect(await Promise.all([crossing(a, b), crossing(b, a)])).toEqual([idOf(a), idOf(b)]);
          expect(attempts).toBeGreaterThan(2); // the database chose one as the deadlock's victim, and it ran again
        });

      it('holds the maximum when 10 activations race', async () => {
        const [primary, ...others] = await createUsers(db.orm, pair, 11);
        const token = randomUUID();
        const ids: unknown[] = [];
        // Ten inactive links in one group, made a maximum's worth at a time.
        for (const other of others) {
          const created = await link(primary, idOf(other), token);
          await links(fork())[names.deactivate](created.id, { actor: primary });
          ids.push(created.id);
        }
        const { done, errors } = await settle(ids.map(id => links(fork())[names.activate](id, { actor: primary })));
        expect(done).toBe(pair.max);
        expect(new Set(codesOf(errors))).toEqual(new Set(['MAX_LINKED_ACCOUNTS']));
        expect(
          await fork().count(pair.linkClass, {
            [names.primary]: idOf(primary),
            [names.token]: token,
            [names.status]: 'active',
          } as never),
        ).toBe(pair.max);
      });
    });
  }
});
