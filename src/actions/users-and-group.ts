import type { EntityManager } from '@mikro-orm/core';
import { userIdOf, type UserId } from './arguments.ts';
import { plainSelectLoadsAll, uniqueUserIds } from './find-users.ts';
import { byLinkAge, groupMemberOf, type GroupMember } from './group-query.ts';
import type { MultiAccountPair } from './multi-account-pair.ts';
import type { SqlCondition } from './sql/declare-statement.ts';
import { statementRunner } from './sql/runner.ts';
import { groupLinkColumns, groupValues } from './sql/statements/group.ts';
import { usersAndGroup } from './sql/statements/users-and-group.ts';
import { sqlEntityManager } from './sql-entity-manager.ts';

export interface UsersAndGroup<User extends object> {
  /** The users found by id, keyed by the id as a string. */
  users: Map<string, User>;
  /** The group's links with their users, oldest link first. */
  group: GroupMember<User>[];
}

/**
 * Users by id (where `also` holds) and a session's link group with its users, in one statement (see
 * `usersAndGroup`). For requests that need the group anyway (the JSON endpoint, per-tab selection) this saves a
 * round trip. The group's rows mean nothing unless the users' rows came (`also` is the browser-session check):
 * the caller reads them only then. Null where a plain select would not load users whole (see
 * `plainSelectLoadsAll`): the caller loads the two apart then.
 */
export async function findUsersAndGroup<User extends object>(
  em: EntityManager,
  pair: MultiAccountPair,
  ids: readonly (UserId | string)[],
  group: { primaryId: UserId; sessionToken: string },
  also?: SqlCondition,
): Promise<UsersAndGroup<User> | null> {
  const unique = uniqueUserIds(pair, ids);
  if (unique.length === 0 || !plainSelectLoadsAll(em, pair)) return null;
  const values = { ids: unique, also, ...groupValues(pair, group.primaryId, group.sessionToken) };
  const rows = await usersAndGroup.all(em, values, pair);
  const result: UsersAndGroup<User> = { users: new Map(), group: [] };
  const [idColumn, insertedColumn, updatedColumn] = groupLinkColumns;
  for (const row of rows) {
    if (row[idColumn] !== null) {
      result.group.push(groupMemberOf<User>(em, pair, row));
      continue;
    }
    const { [idColumn]: _id, [insertedColumn]: _inserted, [updatedColumn]: _updated, ...userRow } = row;
    const user = sqlEntityManager(em).map(pair.user.meta.class, userRow) as User;
    result.users.set(String(userIdOf(pair, user)), user);
  }
  if (statementRunner(em).sortsGroupInJavaScript) result.group.sort(byLinkAge);
  return result;
}
