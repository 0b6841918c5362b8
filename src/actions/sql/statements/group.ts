import type { EntityManager } from '@mikro-orm/core';
import { fixedLinkProperties } from '../../../dsl/linked-account-options.ts';
import { activeUserCondition } from '../../active-check.ts';
import { requireSessionToken, type UserId } from '../../arguments.ts';
import { expiryCutoff } from '../../expiry.ts';
import type { MultiAccountPair } from '../../multi-account-pair.ts';
import { sqlEntityManager } from '../../sql-entity-manager.ts';
import { declareStatement } from '../declare-statement.ts';

export interface GroupValues {
  primaryId: UserId;
  sessionToken: string;
  /** Links not used since then have expired. */
  cutoff: Date;
}

/** The values of a session's group as of now. */
export function groupValues(pair: MultiAccountPair, primaryId: UserId, sessionToken: string): GroupValues {
  return { primaryId, sessionToken: requireSessionToken(sessionToken), cutoff: expiryCutoff(pair) };
}

/** The columns a group row has besides its linked user's: the link's id and times. */
export const groupLinkColumns = ['mma_link_id', 'mma_link_inserted_at', 'mma_link_updated_at'] as const;

/** The group's order (oldest link first, ties by id) over those columns, for a `union all` with the statement. */
export const groupLinkOrder = `order by ${groupLinkColumns[1]}, ${groupLinkColumns[0]}`;

/**
 * A session's group as rows: each active, unexpired link of the primary and token joined with its linked user
 * (who must pass the activeCheck), every column of the user, then the link's id and times. Ordered oldest link
 * first (ties by id), or unordered to be the second side of a `union all` ordered by `groupLinkOrder`.
 */
export function buildGroup(
  em: EntityManager,
  pair: MultiAccountPair,
  { primaryId, sessionToken, cutoff }: GroupValues,
  { ordered }: { ordered: boolean },
) {
  const names = pair.link.options;
  const { meta: linkMeta, primaryKey } = pair.link;
  const activeCondition = Object.entries(activeUserCondition(pair)).map(([field, value]) => [
    `mma_linked.${field}`,
    value,
  ]);
  const [idColumn, insertedColumn, updatedColumn] = groupLinkColumns;
  const query = sqlEntityManager(em)
    .createQueryBuilder(linkMeta.class, 'mma_link')
    .select([
      'mma_linked.*',
      `mma_link.${primaryKey} as ${idColumn}`,
      `mma_link.insertedAt as ${insertedColumn}`,
      `mma_link.updatedAt as ${updatedColumn}`,
    ])
    .join(`mma_link.${names.linkedUserRelationshipName}`, 'mma_linked')
    .where({
      [names.primaryUserRelationshipName]: primaryId,
      [names.sessionTokenAttributeName]: sessionToken,
      [names.statusAttributeName]: 'active',
      [fixedLinkProperties.updatedAt]: { $gte: cutoff },
      ...Object.fromEntries(activeCondition),
    });
  return (ordered ? query.orderBy({ insertedAt: 'asc', [primaryKey]: 'asc' }) : query).toQuery();
}

export const sessionGroup = declareStatement<GroupValues, MultiAccountPair>({
  name: 'group',
  parameters: { primaryId: 'value', sessionToken: 'value', cutoff: 'value' },
  shape: pair => pair.link.meta.className,
  build: (em, values, pair) => buildGroup(em, pair, values, { ordered: true }),
});
