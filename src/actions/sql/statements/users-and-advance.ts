import type { MultiAccountPair } from '../../multi-account-pair.ts';
import { declareStatement, type BoundSql } from '../declare-statement.ts';
import { buildUsersById, type UsersByIdValues } from './users-by-id.ts';

/** The column that says whether the update changed a row. */
export const advancedColumn = 'mma_advanced';

export interface UsersAndAdvanceValues extends UsersByIdValues {
  /** An update (the browser session's compare-and-set), run first. */
  update: BoundSql;
}

/**
 * Users by id and an update in one statement: the update runs as a data-modifying `with` (PostgreSQL only:
 * see `canUpdateInWith`), and the select reads the rows as they were before it.
 */
export const usersAndAdvance = declareStatement<UsersAndAdvanceValues, MultiAccountPair>({
  name: 'users-and-advance',
  parameters: { update: 'sql', ids: 'list', also: 'sql' },
  shape: pair => pair.user.meta.className,
  build(em, values, pair) {
    const select = buildUsersById(em, pair, values);
    const sql =
      `with mma_update as (${values.update.sql} returning 1) ` +
      `select mma_users.*, exists (select 1 from mma_update) as ${advancedColumn} from (${select.sql}) as mma_users`;
    return { sql, params: [...values.update.params, ...select.params] };
  },
});
