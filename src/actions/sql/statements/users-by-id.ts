import { raw, type EntityManager } from '@mikro-orm/core';
import type { UserId } from '../../arguments.ts';
import type { MultiAccountPair } from '../../multi-account-pair.ts';
import { sqlEntityManager } from '../../sql-entity-manager.ts';
import { declareStatement, type SqlCondition } from '../declare-statement.ts';

export interface UsersByIdValues {
  ids: readonly UserId[];
  /** A condition the statement checks too (the browser-session check rides along this way). */
  also: SqlCondition | undefined;
}

/**
 * Every column of the users with these ids, where `also` holds. `extraColumns` are selected as null after the
 * user's columns, so the statement can be the first side of a `union all` with one that selects those columns.
 */
export function buildUsersById(
  em: EntityManager,
  pair: MultiAccountPair,
  { ids, also }: UsersByIdValues,
  extraColumns: readonly string[] = [],
) {
  return sqlEntityManager(em)
    .createQueryBuilder(pair.user.meta.class, 'mma_user')
    .select(['*', ...extraColumns.map(column => raw(`null as ${column}`))])
    .where({ [pair.user.primaryKey]: { $in: ids }, ...(also ? { [raw(also.sql, also.params)]: [] } : {}) })
    .toQuery();
}

export const usersById = declareStatement<UsersByIdValues, MultiAccountPair>({
  name: 'users',
  parameters: { ids: 'list', also: 'sql' },
  shape: pair => pair.user.meta.className,
  build: (em, values, pair) => buildUsersById(em, pair, values),
});
