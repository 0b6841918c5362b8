import { TableNotFoundException } from '@mikro-orm/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { boundSqliteClient } from '../../src/actions/sql/bound-sqlite.ts';
import { runStatement } from '../../src/actions/sql/runner.ts';
import { sqlEntityManager } from '../../src/actions/sql-entity-manager.ts';
import { LinkedAccount, User } from '../fixtures/default-entities.ts';
import { eachDatabase } from '../support/matrix.ts';
import { createTestOrm, dataStatements, type TestOrm } from '../support/test-orm.ts';

// On node:sqlite the library's statements go with their values bound, not written into the SQL by MikroORM:
// the rows must be the same either way, whatever the values' types.
eachDatabase(
  database => {
    let db: TestOrm;
    beforeAll(async () => {
      db = await createTestOrm(database, [User, LinkedAccount]);
    });
    afterAll(() => db.close());

    it('goes bound outside a transaction and inside one', async () => {
      expect(await boundSqliteClient(db.orm.em.fork())).not.toBeNull();
      await db.orm.em
        .fork()
        .transactional(async em => expect(await boundSqliteClient(em)).toBe(em.getTransactionContext()));
    });

    it('reads every kind of value as SQLite reads it written into the SQL', async () => {
      const values = [
        5,
        -7,
        2 ** 53 - 1,
        5.5,
        0.1,
        true,
        false,
        null,
        'text',
        "it's",
        '5',
        12n,
        new Date(1_700_000_000_123),
      ];
      const sql = `select ${values.map((_, index) => `? as v${index}, typeof(?) as t${index}`).join(', ')}`;
      const params = values.flatMap(value => [value, value]);
      const bound = await runStatement(db.orm.em.fork(), { sql, params }, 'all');
      const inline = await sqlEntityManager(db.orm.em.fork()).execute(sql, params, 'all');
      expect({ ...bound[0] }).toEqual({ ...inline[0] });
      expect(bound[0]).toMatchObject({
        t0: 'integer',
        t3: 'real',
        t5: 'integer',
        t12: 'integer',
        v12: 1_700_000_000_123,
      });
    });

    it('finds a text key by an integer value, as the literal would', async () => {
      await db.orm.em.getConnection().execute('create table keyed (id text primary key)');
      await db.orm.em.getConnection().execute("insert into keyed values ('5')");
      expect(
        await runStatement(db.orm.em.fork(), { sql: 'select id from keyed where id = ?', params: [5] }, 'all'),
      ).toEqual([{ id: '5' }]);
    });

    it('reports affected rows, logs the statement as any query, and sees what its transaction wrote', async () => {
      const em = db.orm.em.fork();
      const ann = em.create(User, { name: 'ann', email: 'ann@example.com' } as never);
      await em.flush();
      db.queries.length = 0;
      const { affectedRows } = await runStatement(
        db.orm.em.fork(),
        { sql: 'update user set name = ? where id = ?', params: ['anne', ann.id] },
        'run',
      );
      expect(affectedRows).toBe(1);
      expect(dataStatements(db.queries)).toEqual([expect.stringMatching(/update user set name = \? where id = \?/)]);
      await db.orm.em.fork().transactional(async trx => {
        await trx
          .getConnection()
          .execute('update user set name = ? where id = ?', ['annie', ann.id], 'run', trx.getTransactionContext());
        const rows = await runStatement(trx, { sql: 'select name from user where id = ?', params: [ann.id] }, 'all');
        expect(rows).toEqual([{ name: 'annie' }]);
      });
    });

    it("fails with MikroORM's errors", async () => {
      await expect(
        runStatement(db.orm.em.fork(), { sql: 'select * from nowhere where id = ?', params: [1] }, 'all'),
      ).rejects.toBeInstanceOf(TableNotFoundException);
    });

    it('leaves values it cannot bind as they are to MikroORM', async () => {
      const rows = await runStatement(db.orm.em.fork(), { sql: 'select ? as v', params: [{ a: 1 }] }, 'all');
      expect(rows).toEqual([{ v: '{"a":1}' }]);
    });
  },
  ['sqlite', 'sqlite-uncached'],
);
