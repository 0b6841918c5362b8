import type { EntityManager, EntityMetadata } from '@mikro-orm/core';
import { fixedLinkProperties } from '../dsl/linked-account-options.ts';
import { activeUserCondition } from './active-check.ts';
import { requireSessionToken, userIdOf, type UserId } from './arguments.ts';
import { compiledQuery } from './compiled-sql.ts';
import { columnsHoldDisplayFields } from './display-fields.ts';
import { expiryCutoff } from './expiry.ts';
import { WithLazyUser } from './lazy-user.ts';
import type { MultiAccountPair } from './multi-account-pair.ts';
import { sqlEntityManager } from './sql-entity-manager.ts';

/** One link of a session's group, as the per-request loader sees it. */
export interface GroupLink {
  id: unknown;
  linkedUserId: UserId;
  insertedAt: Date;
  updatedAt: Date;
}

export interface GroupMember<User extends object = object> {
  link: GroupLink;
  /** The linked user's properties as loaded, converted from their columns: enough to show the account. */
  fields: Readonly<Record<string, unknown>>;
  /** The linked user as a managed entity, made the first time it is read (most requests only show the group). */
  readonly user: User;
}

/** The columns a group row has besides its linked user's: the link's id and times. */
export const groupLinkColumns = ['mma_link_id', 'mma_link_inserted_at', 'mma_link_updated_at'] as const;

/** The group's order (oldest link first, ties by id) over those columns, for a `union all` with the statement. */
export const groupLinkOrder = `order by ${groupLinkColumns[1]}, ${groupLinkColumns[0]}`;

/**
 * The same order in JavaScript, for SQLite: it parses every statement anew (node:sqlite keeps none), and an
 * `order by` over a `union all` is a fifth of parsing the JSON endpoint's. The times are stored to the
 * millisecond, as a `Date` holds them, and SQLite compares text ids byte by byte, as `Buffer.compare` does.
 */
export function byLinkAge(a: GroupMember, b: GroupMember): number {
  const older = a.link.insertedAt.getTime() - b.link.insertedAt.getTime();
  if (older !== 0) return older;
  const [x, y] = [a.link.id, b.link.id];
  if (typeof x === 'string' && typeof y === 'string') return Buffer.compare(Buffer.from(x), Buffer.from(y));
  return Number(x) - Number(y);
}

/**
 * A session's group as rows, oldest link first (ties by id): each active, unexpired link of the primary and
 * token joined with its linked user (who must pass the activeCheck), every column of the user, then the link's
 * id and times. Built once per ORM by MikroORM's QueryBuilder (see `compiledQuery`); for user entities a plain
 * select loads whole. Unordered, it can be the second side of a `union all` ordered by `groupLinkOrder` (on
 * SQLite, sorted by `byLinkAge` after it runs).
 */
export function groupStatement(
  em: EntityManager,
  pair: MultiAccountPair,
  primaryId: UserId,
  sessionToken: string,
  { ordered = true } = {},
): { sql: string; params: unknown[] } {
  const names = pair.link.options;
  const { meta: linkMeta, primaryKey } = pair.link;
  const activeCondition = Object.entries(activeUserCondition(pair)).map(([field, value]) => [
    `mma_linked.${field}`,
    value,
  ]);
  const [idColumn, insertedColumn, updatedColumn] = groupLinkColumns;
  const build = ([primary, token, cutoff]: readonly unknown[]) => {
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
        [names.primaryUserRelationshipName]: primary,
        [names.sessionTokenAttributeName]: token,
        [names.statusAttributeName]: 'active',
        [fixedLinkProperties.updatedAt]: { $gte: cutoff },
        ...Object.fromEntries(activeCondition),
      });
    return (ordered ? query.orderBy({ insertedAt: 'asc', [primaryKey]: 'asc' }) : query).toQuery();
  };
  // Sentinels MikroORM passes through untouched: an id of the key's own type, a string, a date.
  const sentinels = [
    typeof primaryId === 'number' ? 2_147_480_000 : '\u0000mma-primary',
    '\u0000mma-token',
    new Date(2),
  ];
  const key = `group ${linkMeta.className}${ordered ? '' : ' unordered'}`;
  return compiledQuery(em, key, sentinels, build, [primaryId, requireSessionToken(sessionToken), expiryCutoff(pair)]);
}

const fieldOf = (meta: EntityMetadata, property: string) =>
  (meta.properties[property] as { fieldNames: string[] }).fieldNames[0]!;

/**
 * A row of `groupStatement` as a group member: its user's columns converted to properties, the managed entity
 * made from them when first read (mapping an entity costs more than the rest of the row), its link's times
 * converted.
 */
export function groupMemberOf<User extends object>(
  em: EntityManager,
  pair: MultiAccountPair,
  row: Record<string, unknown>,
): GroupMember<User> {
  const [idColumn, insertedColumn, updatedColumn] = groupLinkColumns;
  const { [idColumn]: id, [insertedColumn]: insertedAt, [updatedColumn]: updatedAt, ...userRow } = row;
  const { meta: linkMeta } = pair.link;
  const driver = em.getDriver() as unknown as { mapResult(row: object, meta: object): Record<string, unknown> };
  const fields = driver.mapResult(userRow, pair.user.meta);
  const times = driver.mapResult(
    {
      [fieldOf(linkMeta, fixedLinkProperties.insertedAt)]: insertedAt,
      [fieldOf(linkMeta, fixedLinkProperties.updatedAt)]: updatedAt,
    },
    linkMeta,
  );
  const link = {
    id,
    linkedUserId: userIdOf(pair, fields)!,
    insertedAt: times.insertedAt as Date,
    updatedAt: times.updatedAt as Date,
  };
  const map = () => sqlEntityManager(em).map(pair.user.meta.class, userRow) as User;
  if (!columnsHoldDisplayFields(pair)) {
    const user = map(); // a display field is a getter or formula: only the entity shows it
    return { link, fields: user as Record<string, unknown>, user };
  }
  return new LazyGroupMember(map, fields, link);
}

class LazyGroupMember<User extends object> extends WithLazyUser<User> implements GroupMember<User> {
  constructor(
    make: () => User,
    fields: Readonly<Record<string, unknown>>,
    readonly link: GroupLink,
  ) {
    super(make, fields);
  }
}
