import { declareStatement } from '../declare-statement.ts';
import type { MultiAccountPair } from '../../multi-account-pair.ts';
import { statementRunner } from '../runner.ts';
import { buildGroup, groupLinkColumns, groupLinkOrder, type GroupValues } from './group.ts';
import { buildUsersById, type UsersByIdValues } from './users-by-id.ts';

/**
 * Users by id and a session's group, in one statement: the two joined by `union all`, the users' rows first
 * (their link columns null). Ordered by `groupLinkOrder` unless the runner sorts the group in JavaScript.
 */
export const usersAndGroup = declareStatement<UsersByIdValues & GroupValues, MultiAccountPair>({
  name: 'users-and-group',
  parameters: { ids: 'list', also: 'sql', primaryId: 'value', sessionToken: 'value', cutoff: 'value' },
  shape: pair => pair.link.meta.className,
  build(em, values, pair) {
    const users = buildUsersById(em, pair, values, groupLinkColumns);
    const members = buildGroup(em, pair, values, { ordered: false });
    const order = statementRunner(em).sortsGroupInJavaScript ? '' : ` ${groupLinkOrder}`;
    return { sql: `${users.sql} union all ${members.sql}${order}`, params: [...users.params, ...members.params] };
  },
});
