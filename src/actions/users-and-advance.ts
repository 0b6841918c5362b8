import type { EntityManager } from '@mikro-orm/core';
import type { UserId } from './arguments.ts';
import { byUserId, plainSelectLoadsAll, uniqueUserIds, usersOfRows } from './find-users.ts';
import type { MultiAccountPair } from './multi-account-pair.ts';
import type { BoundSql, SqlCondition } from './sql/declare-statement.ts';
import { statementRunner } from './sql/runner.ts';
import { advancedColumn, usersAndAdvance } from './sql/statements/users-and-advance.ts';

export interface UsersAndAdvance<User extends object> {
  /** The users found by id, keyed by the id as a string, as they were before the update. */
  users: Map<string, User>;
  /** Whether the update changed a row. */
  advanced: boolean;
}

/**
 * Users by id (where `also` holds) and an update — `BrowserSessions.advanceStatement`, the compare-and-set of
 * a switch — in one statement, one round trip (see `usersAndAdvance`). Null where the database cannot update
 * inside a `with` (SQLite, MariaDB), and where a plain select would not load users whole (see
 * `plainSelectLoadsAll`): the caller runs the two apart then.
 */
export async function findUsersAndAdvance<User extends object>(
  em: EntityManager,
  pair: MultiAccountPair,
  ids: readonly (UserId | string)[],
  also: SqlCondition,
  update: BoundSql,
): Promise<UsersAndAdvance<User> | null> {
  const unique = uniqueUserIds(pair, ids);
  if (unique.length === 0 || !statementRunner(em).canUpdateInWith || !plainSelectLoadsAll(em, pair)) return null;
  const rows = await usersAndAdvance.all(em, { update, ids: unique, also }, pair);
  const advanced = rows.some(row => row[advancedColumn] === true);
  const users = usersOfRows(
    em,
    pair,
    rows.map(({ [advancedColumn]: _advanced, ...userRow }) => userRow),
  ) as User[];
  return { users: byUserId(pair, users), advanced };
}
