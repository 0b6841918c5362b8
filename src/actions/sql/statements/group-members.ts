import { raw } from '@mikro-orm/core';
import { fixedLinkProperties } from '../../../dsl/linked-account-options.ts';
import type { UserId } from '../../arguments.ts';
import type { MultiAccountPair } from '../../multi-account-pair.ts';
import { sqlEntityManager } from '../../sql-entity-manager.ts';
import { declareStatement } from '../declare-statement.ts';
import type { GroupValues } from './group.ts';

export interface GroupMembersValues extends GroupValues {
  /** Users other than the primary. */
  members: readonly UserId[];
}

/** A condition that holds while each of `members` is linked to the group by an active, unexpired link. */
export const groupMembersCondition = declareStatement<GroupMembersValues, MultiAccountPair>({
  name: 'members',
  parameters: { primaryId: 'value', sessionToken: 'value', cutoff: 'value', members: 'list' },
  shape: pair => pair.link.meta.className,
  build(em, { primaryId, sessionToken, cutoff, members }, pair) {
    const names = pair.link.options;
    const group = {
      [names.primaryUserRelationshipName]: primaryId,
      [names.sessionTokenAttributeName]: sessionToken,
      [names.statusAttributeName]: 'active',
      [fixedLinkProperties.updatedAt]: { $gte: cutoff },
    };
    const parts = members.map(member =>
      sqlEntityManager(em)
        .createQueryBuilder(pair.link.meta.class, 'mma_member')
        .select(raw('1'))
        .where({ ...group, [names.linkedUserRelationshipName]: member })
        .toQuery(),
    );
    return {
      sql: parts.map(part => `exists (${part.sql})`).join(' and '),
      params: parts.flatMap(part => [...part.params]),
    };
  },
});
