import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { MikroORM } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { SqliteDriver, type AbstractSqlConnection } from '@mikro-orm/sql';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { withMultiAccount } from '../../src/index.ts';
import { NodeSqliteStatementCacheDialect } from '../../src/sqlite/node-sqlite-statement-cache.ts';
import { LinkedAccount, User } from '../fixtures/default-entities.ts';

let orm: MikroORM;
const prepare = vi.spyOn(DatabaseSync.prototype, 'prepare');
const prepared = (sql: string) => prepare.mock.calls.filter(([text]) => text === sql).length;

async function start(statements?: number) {
  orm = await MikroORM.init(
    withMultiAccount({
      driver: SqliteDriver,
      dbName: ':memory:',
      driverOptions: new NodeSqliteStatementCacheDialect(':memory:', statements === undefined ? {} : { statements }),
      entities: [User, LinkedAccount],
      metadataProvider: ReflectMetadataProvider,
    }),
  );
  await orm.schema.create();
  prepare.mockClear();
}
const run = (sql: string, params: unknown[] = []) => orm.em.getConnection().execute(sql, params);
const stream = (sql: string) => (orm.em.getConnection() as AbstractSqlConnection).stream(sql);

beforeEach(() => start());
afterEach(() => orm.close(true));

it('prepares a statement once and runs it again with new values', async () => {
  const em = orm.em.fork();
  const ann = em.create(User, { name: 'ann', email: 'ann@example.com' } as never);
  const bob = em.create(User, { name: 'bob', email: 'bob@example.com' } as never);
  await em.flush();
  const select = 'select name from user where id = 1';
  expect(await run(select)).toEqual([{ name: 'ann' }]);
  expect(await run(select)).toEqual([{ name: 'ann' }]);
  expect(prepared(select)).toBe(1);
  expect((await orm.em.fork().findOneOrFail(User, bob.id)).name).toBe('bob');
  expect((await orm.em.fork().findOneOrFail(User, ann.id)).name).toBe('ann');
});

it('keeps the most recently run statements, up to `statements`', async () => {
  await orm.close(true);
  await start(2);
  for (const sql of ['select 1', 'select 2', 'select 1', 'select 3', 'select 1', 'select 2']) await run(sql);
  // `select 2` was dropped for `select 3`; `select 1`, run again in between, was kept throughout.
  expect(['select 1', 'select 2', 'select 3'].map(prepared)).toEqual([1, 2, 1]);
});

it('sees columns a table gained after a statement over it was kept', async () => {
  await run("insert into user (name, email) values ('cat', 'cat@example.com')");
  const select = 'select * from user';
  expect(Object.keys((await run(select))[0]!)).not.toContain('nickname');
  await run('alter table user add column nickname text');
  expect(Object.keys((await run(select))[0]!)).toContain('nickname');
});

it('runs a kept statement again after it failed, and rolls back with its transaction', async () => {
  const insert = "insert into user (name, email) values ('dan', 'dan@example.com')";
  await run(insert);
  await expect(run(insert)).rejects.toThrow(/UNIQUE constraint failed/);
  await run("delete from user where name = 'dan'");
  await run(insert);
  await expect(
    orm.em.fork().transactional(async em => {
      await em
        .getConnection()
        .execute("update user set name = 'dee' where name = 'dan'", [], 'run', em.getTransactionContext());
      throw new Error('changed my mind');
    }),
  ).rejects.toThrow('changed my mind');
  expect(await run('select name from user')).toEqual([{ name: 'dan' }]);
  expect(prepared(insert)).toBe(1);
});

it('streams rows, and runs the same statement after a stream left early', async () => {
  for (const name of ['eve', 'fay', 'gus'])
    await run(`insert into user (name, email) values ('${name}', '${name}@example.com')`);
  const select = 'select name from user order by name';
  expect(await run(select)).toHaveLength(3);
  const streamed: unknown[] = [];
  for await (const row of stream(select)) streamed.push((row as { name: string }).name);
  expect(streamed).toEqual(['eve', 'fay', 'gus']);
  for await (const _row of stream(select)) break;
  expect(await run(select)).toHaveLength(3);
});

it('works again after the ORM reconnected', async () => {
  await run('select 1');
  await orm.close();
  await orm.connect();
  await orm.schema.create();
  expect(await run('select count(*) as n from user')).toEqual([{ n: 0 }]);
});

it('refuses a cache size that is not a positive integer', () => {
  for (const statements of [0, -1, 1.5, Number.NaN]) {
    expect(() => new NodeSqliteStatementCacheDialect(':memory:', { statements })).toThrow(
      /statements must be a positive integer/,
    );
  }
});

it('sets a database file up as SQLite advises for a server with `wal: true`: WAL, synchronous = NORMAL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mma-wal-'));
  const file = join(dir, 'app.sqlite');
  const walOrm = await MikroORM.init(
    withMultiAccount({
      driver: SqliteDriver,
      dbName: file,
      driverOptions: new NodeSqliteStatementCacheDialect(file, { wal: true }),
      entities: [User, LinkedAccount],
      metadataProvider: ReflectMetadataProvider,
    }),
  );
  try {
    const connection = walOrm.em.getConnection();
    expect(await connection.execute('pragma journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await connection.execute('pragma synchronous')).toEqual([{ synchronous: 1 }]); // NORMAL
  } finally {
    await walOrm.close(true);
    rmSync(dir, { recursive: true, force: true });
  }
});
