import type { EntityManager } from '@mikro-orm/core';
import { BasePostgreSqlPlatform } from '@mikro-orm/sql';
import type { UserId } from './arguments.ts';
import type { SqlCondition } from './compiled-sql.ts';
import { byUserId, plainSelectLoadsAll, uniqueUserIds, usersByIdStatement, usersOfRows } from './find-users.ts';
import type { MultiAccountPair } from './multi-account-pair.ts';
import { runStatement } from './run-statement.ts';

export interface UsersAndAdvance<User extends object> {
  /** The users found by id, keyed by the id as a string, as they were before the update. */
  users: Map<string, User>;
  /** Whether the update changed a row. */
  advanced: boolean;
}

const advancedColumn = 'mma_advanced';

/**
 * Users by id (where `also` holds) and an update — `BrowserSessions.advanceStatement`, the compare-and-set of
 * a switch — in one statement, one round trip: the update runs as a data-modifying `with`, and the select
 * reads the rows as they were before it. PostgreSQL only (SQLite and MariaDB have no data-modifying `with`);
 * null there, and where a plain select would not load users whole (see `plainSelectLoadsAll`): the caller
 * runs the two apart then.
 */
export async function findUsersAndAdvance<User extends object>(
  em: EntityManager,
  pair: MultiAccountPair,
  ids: readonly (UserId | string)[],
  also: SqlCondition,
  update: { sql: string; params: unknown[] },
): Promise<UsersAndAdvance<User> | null> {
  const unique = uniqueUserIds(pair, ids);
  if (unique.length === 0 || !(em.getPlatform() instanceof BasePostgreSqlPlatform) || !plainSelectLoadsAll(em, pair))
    return null;
  const select = usersByIdStatement(em, pair, unique, also);
  const sql =
    `with mma_update as (${update.sql} returning 1) ` +
    `select mma_users.*, exists (select 1 from mma_update) as ${advancedColumn} from (${select.sql}) as mma_users`;
  const rows = await runStatement(em, { sql, params: [...update.params, ...select.params] }, 'all');
  const advanced = rows.some(row => row[advancedColumn] === true);
  const users = usersOfRows(
    em,
    pair,
    rows.map(({ [advancedColumn]: _advanced, ...userRow }) => userRow),
  ) as User[];
  return { users: byUserId(pair, users), advanced };
}
