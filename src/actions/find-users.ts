import { raw, type EntityManager } from '@mikro-orm/core';
import { userIdOf, type UserId } from './arguments.ts';
import { displayFieldPopulate } from './display-fields.ts';
import type { MultiAccountPair } from './multi-account-pair.ts';
import type { SqlCondition } from './sql/declare-statement.ts';
import { usersById } from './sql/statements/users-by-id.ts';
import { sqlEntityManager } from './sql-entity-manager.ts';

/**
 * Users by id (keyed by the id as a string), with display fields, in one statement; `also` adds a condition to
 * that statement (the browser-session check rides along this way). Runs on every request, so where nothing
 * needs `em.find`'s extra work (filters, formulas, populated display fields) the statement is built once and
 * reused.
 */
export async function findUsersById<User extends object>(
  em: EntityManager,
  pair: MultiAccountPair,
  ids: readonly (UserId | string)[],
  also?: SqlCondition,
): Promise<Map<string, User>> {
  const unique = uniqueUserIds(pair, ids);
  if (unique.length === 0) return new Map();
  const users = (
    plainSelectLoadsAll(em, pair)
      ? usersOfRows(em, pair, await usersById.all(em, { ids: unique, also }, pair))
      : await findThroughOrm(em, pair, unique, also)
  ) as User[];
  return byUserId(pair, users);
}

/** Users keyed by their id as a string, as `findUsersById` answers. */
export function byUserId<User extends object>(pair: MultiAccountPair, users: User[]): Map<string, User> {
  return new Map(users.map(user => [String(userIdOf(pair, user)), user]));
}

/** Each id once, as the user key's type; ids no user could have are left out. */
export function uniqueUserIds(pair: MultiAccountPair, ids: readonly (UserId | string)[]): UserId[] {
  return [...new Set(ids.map(String))].map(id => userIdOf(pair, id)).filter((id): id is UserId => id !== undefined);
}

function findThroughOrm(
  em: EntityManager,
  pair: MultiAccountPair,
  ids: UserId[],
  also?: SqlCondition,
): Promise<object[]> {
  const where = { [pair.user.primaryKey]: { $in: ids }, ...(also ? { [raw(also.sql, also.params)]: [] } : {}) };
  return em.find(pair.user.meta.class, where, { populate: displayFieldPopulate(pair) });
}

/** Rows of every user column, as managed entities. */
export function usersOfRows(em: EntityManager, pair: MultiAccountPair, rows: Record<string, unknown>[]): object[] {
  const sqlEm = sqlEntityManager(em);
  return rows.map(row => sqlEm.map(pair.user.meta.class, row));
}

const loadsAllByMeta = new WeakMap<object, boolean>();

/**
 * Whether `select *` mapped to entities gives what `em.find` would: no filters, no formulas, nothing to
 * populate. Decided once per discovered user entity (metadata and config belong to one ORM).
 */
export function plainSelectLoadsAll(em: EntityManager, pair: MultiAccountPair): boolean {
  const { meta } = pair.user;
  let loadsAll = loadsAllByMeta.get(meta);
  if (loadsAll === undefined) {
    loadsAll =
      displayFieldPopulate(pair).length === 0 &&
      Object.keys(meta.filters ?? {}).length === 0 &&
      Object.keys(em.config.get('filters') ?? {}).length === 0 &&
      !meta.props.some(property => property.formula);
    loadsAllByMeta.set(meta, loadsAll);
  }
  return loadsAll;
}
