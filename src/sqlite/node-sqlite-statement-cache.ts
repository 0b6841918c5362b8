import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';

export interface NodeSqliteStatementCacheOptions {
  /** How many prepared statements to keep, the least recently run dropped first. Default 200. */
  statements?: number;
  /**
   * A server's settings, as SQLite advises for one: write-ahead logging (`journal_mode = WAL`), so readers do not
   * wait for a writer, and `synchronous = NORMAL`, which syncs at checkpoints rather than at every commit — a
   * commit (every switch is one) then costs no disk sync; a power cut may lose the last commits, never corrupt.
   * Default false: the database file's own settings.
   */
  wal?: boolean;
}

/**
 * MikroORM's `NodeSqliteDialect` (node:sqlite under Kysely's `SqliteDialect`) that keeps the statements it
 * prepared, by their SQL: SQLite parses and plans a statement once rather than every time it runs. The
 * library's per-request statements have the same text on every request (their values are bound), and so do
 * queries MikroORM repeats with the same values. A statement is reset after each run, so reusing it is safe;
 * one whose tables changed is prepared again by SQLite itself.
 */
export class NodeSqliteStatementCacheDialect extends SqliteDialect {
  constructor(dbName: string, { statements = 200, wal = false }: NodeSqliteStatementCacheOptions = {}) {
    if (!Number.isSafeInteger(statements) || statements < 1) {
      throw new TypeError(
        `NodeSqliteStatementCacheDialect: statements must be a positive integer, not ${String(statements)}`,
      );
    }
    super({ database: async () => cachingDatabase(dbName, statements, wal) });
  }
}

function cachingDatabase(dbName: string, limit: number, wal: boolean): SqliteDatabase {
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite');
  const db: DatabaseSync = new DatabaseSync(dbName);
  if (wal) db.exec('pragma journal_mode = wal; pragma synchronous = normal;');
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(sql) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql); // the Map's order is the eviction order: most recently run last
      } else {
        statement = kyselyStatement(db, sql);
        if (cache.size >= limit) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
    close() {
      cache.clear();
      db.close();
    },
  };
}

/** A node:sqlite statement as Kysely's SQLite driver calls it (better-sqlite3's shape). */
function kyselyStatement(db: DatabaseSync, sql: string): SqliteStatement {
  const statement: StatementSync = db.prepare(sql);
  // Kysely passes the values as `unknown`: node:sqlite checks them itself and throws on any it cannot bind.
  return {
    // Whether it returns rows: Kysely then reads them with `all` rather than counting changes with `run`.
    reader: statement.columns().length > 0,
    all: parameters => statement.all(...(parameters as SQLInputValue[])) as unknown[],
    run: parameters =>
      statement.run(...(parameters as SQLInputValue[])) as {
        changes: number | bigint;
        lastInsertRowid: number | bigint;
      },
    // A stream holds its statement open between reads: it gets one of its own, which nothing else resets.
    iterate: parameters => db.prepare(sql).iterate(...(parameters as SQLInputValue[])) as IterableIterator<unknown>,
  };
}
