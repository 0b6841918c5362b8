import type { EntityManager, EntityMetadata } from '@mikro-orm/core';
import { fixedLinkProperties } from '../dsl/linked-account-options.ts';
import { userIdOf, type UserId } from './arguments.ts';
import { columnsHoldDisplayFields } from './display-fields.ts';
import { WithLazyUser } from './lazy-user.ts';
import type { MultiAccountPair } from './multi-account-pair.ts';
import { groupLinkColumns } from './sql/statements/group.ts';
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

/**
 * The group's SQL order (`groupLinkOrder`) in JavaScript, where the runner sorts the group here (SQLite). The
 * times are stored to the millisecond, as a `Date` holds them, and SQLite compares text ids byte by byte, as
 * `Buffer.compare` does.
 */
export function byLinkAge(a: GroupMember, b: GroupMember): number {
  const older = a.link.insertedAt.getTime() - b.link.insertedAt.getTime();
  if (older !== 0) return older;
  const [x, y] = [a.link.id, b.link.id];
  if (typeof x === 'string' && typeof y === 'string') return Buffer.compare(Buffer.from(x), Buffer.from(y));
  return Number(x) - Number(y);
}

const fieldOf = (meta: EntityMetadata, property: string) =>
  (meta.properties[property] as { fieldNames: string[] }).fieldNames[0]!;

/**
 * A row of the group statement (`sql/statements/group.ts`) as a group member: its user's columns converted to
 * properties, the managed entity made from them when first read (mapping an entity costs more than the rest of
 * the row), its link's times converted.
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
