import { TableNotFoundException, type EntityManager } from '@mikro-orm/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findUsersById } from '../../src/actions/find-users.ts';
import { multiAccountPair } from '../../src/actions/multi-account-pair.ts';
import { LinkedAccount, User } from '../fixtures/default-entities.ts';
import { eachDatabase } from '../support/matrix.ts';
import { createTestOrm, dataStatements, type TestOrm } from '../support/test-orm.ts';

// On PostgreSQL the statements the library reuses on every request go as named prepared statements, so
// PostgreSQL plans them once per connection. One connection in the pool, so the test sees what it prepared.
eachDatabase(
  database => {
    let db: TestOrm;
    beforeAll(async () => {
      db = await createTestOrm(database, [User, LinkedAccount], { pool: { min: 1, max: 1 } });
    });
    afterAll(() => db.close());

    const newUser = async (em: EntityManager, name: string) => {
      const user = em.create(User, { name, email: `${name}@example.com` } as never);
      await em.flush();
      return user;
    };
    const find = (em: EntityManager, ids: number[]) => findUsersById<User>(em, multiAccountPair(em, User), ids);
    const preparedStatements = async () =>
      await db.orm.em
        .getConnection()
        .execute<{ name: string; statement: string }[]>(
          "select name, statement from pg_prepared_statements where name like 'mma\\_%'",
        );

    it('loads users with a statement PostgreSQL prepared once, and logs it as any query', async () => {
      const [ann, bob] = [await newUser(db.orm.em.fork(), 'ann'), await newUser(db.orm.em.fork(), 'bob')];
      db.queries.length = 0;
      for (let round = 0; round < 3; round++) {
        const found = await find(db.orm.em.fork(), [ann.id, bob.id]);
        expect([...found.values()].map(user => user.name).sort()).toEqual(['ann', 'bob']);
      }
      expect(dataStatements(db.queries)).toHaveLength(3);
      const prepared = await preparedStatements();
      expect(prepared).toHaveLength(1);
      expect(prepared[0]!.statement).toMatch(/from "user" as "mma_user" where "mma_user"\."id" in \(\$1, \$2\)/);
    });

    it('reads what a transaction wrote when it runs inside that transaction', async () => {
      await db.orm.em.fork().transactional(async em => {
        const carol = await newUser(em, 'carol');
        expect((await find(em, [carol.id])).get(String(carol.id))?.name).toBe('carol');
      });
    });

    it(`runs through MikroORM, session variables applied, \
where row-level security's session context is set`, async () => {
      const gus = await newUser(db.orm.em.fork(), 'gus');
      const em = db.orm.em.fork();
      em.setSessionContext({ variables: { 'app.tenant': 'acme' } });
      db.queries.length = 0;
      expect((await find(em, [gus.id])).get(String(gus.id))?.name).toBe('gus');
      expect(db.queries.join('\n')).toMatch(/set_config/);
    });

    it('keeps working when a migration adds a column to a table a prepared statement reads', async () => {
      const dave = await newUser(db.orm.em.fork(), 'dave');
      expect((await find(db.orm.em.fork(), [dave.id])).size).toBe(1);
      await db.orm.em.getConnection().execute('alter table "user" add column "nickname" text');
      expect((await find(db.orm.em.fork(), [dave.id])).get(String(dave.id))?.name).toBe('dave');
    });

    it("fails with MikroORM's errors", async () => {
      await db.orm.em.getConnection().execute('alter table "user" rename to "user_gone"');
      await expect(find(db.orm.em.fork(), [1])).rejects.toBeInstanceOf(TableNotFoundException);
      await db.orm.em.getConnection().execute('alter table "user_gone" rename to "user"');
    });

    it('uses the new pool after the ORM reconnected', async () => {
      const fay = await newUser(db.orm.em.fork(), 'fay');
      expect((await find(db.orm.em.fork(), [fay.id])).size).toBe(1);
      await db.orm.close();
      await db.orm.connect();
      expect((await find(db.orm.em.fork(), [fay.id])).get(String(fay.id))?.name).toBe('fay');
      expect(await preparedStatements()).toHaveLength(1);
    });

    it('runs its statements unprepared once a connection lost one (a pooler, DISCARD ALL)', async () => {
      const erin = await newUser(db.orm.em.fork(), 'erin');
      expect((await find(db.orm.em.fork(), [erin.id])).size).toBe(1);
      await db.orm.em.getConnection().execute('deallocate all');
      expect((await find(db.orm.em.fork(), [erin.id])).get(String(erin.id))?.name).toBe('erin');
      // From now on one unprepared statement, not a failing prepared one first.
      db.queries.length = 0;
      expect((await find(db.orm.em.fork(), [erin.id])).size).toBe(1);
      expect(dataStatements(db.queries)).toHaveLength(1);
      expect(await preparedStatements()).toEqual([]);
    });
  },
  ['postgresql'],
);
