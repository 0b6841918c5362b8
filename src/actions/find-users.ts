import type { EntityManager } from '@mikro-orm/core';
import { userIdOf, type UserId } from './arguments.ts';
import { displayFieldPopulate } from './display-fields.ts';
import type { MultiAccountPair } from './multi-account-pair.ts';

/**
 * Users by id (keyed by the id as a string), with display fields, in one statement; `alsoWhere` adds a condition
 * to that statement (the browser-session check rides along this way).
 */
export async function findUsersById<User extends object>(
  em: EntityManager,
  pair: MultiAccountPair,
  ids: readonly (UserId | string)[],
  alsoWhere: object = {},
): Promise<Map<string, User>> {
  const unique = [...new Set(ids.map(String))].map(id => userIdOf(pair, id)).filter((id): id is UserId => id !== undefined);
  if (unique.length === 0) return new Map();
  const users = (await em.find(pair.user.meta.class, { [pair.user.primaryKey]: { $in: unique }, ...alsoWhere } as never, {
    populate: displayFieldPopulate(pair) as never,
  })) as User[];
  return new Map(users.map(user => [String(userIdOf(pair, user)), user]));
}
