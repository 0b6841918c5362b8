import type { EntityManager } from '@mikro-orm/core';

export type Row = Record<string, unknown>;
export type Method = 'all' | 'run';
export type Executed = Row[] | { affectedRows: number };

/** How the library's statements (SQL with `?` placeholders) run on one ORM's database, and what it can do. */
export interface StatementRunner {
  /** Rows for `all`, the count of rows changed for `run`. */
  execute(em: EntityManager, sql: string, params: unknown[], method: Method): Promise<Executed>;
  /**
   * SQLite parses every statement anew unless a dialect keeps it, and an `order by` over a `union all` is a
   * good part of parsing the group's: the group is sorted in JavaScript there (see `byLinkAge`).
   */
  readonly sortsGroupInJavaScript: boolean;
  /** PostgreSQL runs an update inside a `with` (SQLite and MariaDB have no data-modifying `with`). */
  readonly canUpdateInWith: boolean;
}
