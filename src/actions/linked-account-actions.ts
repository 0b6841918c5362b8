import { LockMode, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { fixedLinkProperties } from '../dsl/linked-account-options.ts';
import { MultiAccountError } from '../errors/multi-account-error.ts';
import { activeUserCondition, passesActiveCheck } from './active-check.ts';
import { isUuid, requireSessionToken, sameUserId, userIdOf, type UserId, type UserRef } from './arguments.ts';
import { displayFieldPopulate } from './display-fields.ts';
import { plainSelectLoadsAll } from './find-users.ts';
import { groupMemberOf, type GroupMember } from './group-query.ts';
import { aliveCondition, expiryCutoff } from './expiry.ts';
import type { MultiAccountPair } from './multi-account-pair.ts';
import { retryingTransaction } from './retrying-transaction.ts';
import type { SqlCondition } from './sql/declare-statement.ts';
import { groupValues, sessionGroup } from './sql/statements/group.ts';
import { groupMembersCondition } from './sql/statements/group-members.ts';

export type LinkStatus = 'active' | 'inactive';

export interface CreateLinkedAccountInput<User> {
  /** The primary user: the account that started the multi-account session. */
  actor: UserRef<User> | null | undefined;
  linkedUser: UserRef<User>;
  sessionToken: string;
}

export interface GetLinkedAccountsInput<User> {
  primaryUser: UserRef<User>;
  sessionToken: string;
}

export interface ActorInput<User> {
  actor: UserRef<User> | null | undefined;
}

type Row = Record<string, any>;

/** The link entity's actions; the repository exposes them under their configured names. */
export class LinkedAccountActions<User extends object = object, Link extends object = object> {
  readonly #em: EntityManager;
  readonly #pair: MultiAccountPair;
  readonly #names: MultiAccountPair['link']['options'];

  constructor(em: EntityManager, pair: MultiAccountPair) {
    this.#em = em;
    this.#pair = pair;
    this.#names = pair.link.options;
  }

  /**
   * Links `linkedUser` to the actor (the primary user) within one session token. The actor's row is locked
   * first, for the count and the insert, so the maximum holds however many requests race; nothing else is
   * locked (no range deletes, no locking reads of the link table), so creations for independent primaries never
   * wait on each other. An expired link of the same pair and token is made new again rather than inserted twice.
   */
  async create(input: CreateLinkedAccountInput<User>): Promise<Link> {
    const primaryId = this.#requireActor(input?.actor);
    const sessionToken = requireSessionToken(input.sessionToken);
    const linkedId = userIdOf(this.#pair, input.linkedUser);
    if (sameUserId(primaryId, linkedId)) throw new MultiAccountError('SELF_LINK');
    if (linkedId === undefined) throw new MultiAccountError('NOT_FOUND', 'linked user');
    try {
      return await retryingTransaction(this.#em, async em => {
        const primary = await this.#lockPrimary(em, primaryId);
        const linked = await em.findOne(this.#userClass, { [this.#pair.user.primaryKey]: linkedId });
        if (!linked) throw new MultiAccountError('NOT_FOUND', 'linked user');
        if (!passesActiveCheck(this.#pair, linked)) throw new MultiAccountError('INACTIVE_USER', 'linked user');
        const existing = (await em.findOne(this.#linkClass, {
          ...this.#group(primaryId, sessionToken),
          [this.#names.linkedUserRelationshipName]: linkedId,
        })) as Row | null;
        const expired = existing !== null && existing.updatedAt < expiryCutoff(this.#pair);
        if (existing && !expired) throw new MultiAccountError('ALREADY_LINKED');
        await this.#ensureRoomForOneMore(em, primaryId, sessionToken);
        if (existing) {
          // Expired links neither count nor block linking the same account again: this one starts afresh.
          Object.assign(existing, {
            [this.#names.statusAttributeName]: 'active',
            insertedAt: new Date(),
            updatedAt: new Date(),
          });
          return existing as Link;
        }
        const link = em.create(this.#linkClass, {
          [this.#names.primaryUserRelationshipName]: primary,
          [this.#names.linkedUserRelationshipName]: linked,
          [this.#names.sessionTokenAttributeName]: sessionToken,
          [this.#names.statusAttributeName]: 'active',
        });
        await em.flush();
        return link as Link;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new MultiAccountError('ALREADY_LINKED');
      throw error;
    }
  }

  /** The session's active links, oldest first, with both users (and their display fields) loaded. */
  async getLinkedAccounts(input: GetLinkedAccountsInput<User>): Promise<Link[]> {
    const sessionToken = requireSessionToken(input?.sessionToken);
    const primaryId = userIdOf(this.#pair, input.primaryUser);
    if (primaryId === undefined) return [];
    return this.findActiveLinks([primaryId], sessionToken, [this.#names.primaryUserRelationshipName]);
  }

  /** Active links of several primaries in one statement: the linked users are joined, never fetched one by one. */
  async findActiveLinks(primaryIds: UserId[], sessionToken: string, populateAlso: string[] = []): Promise<Link[]> {
    const linked = this.#names.linkedUserRelationshipName;
    const activeCondition = activeUserCondition(this.#pair);
    return (await this.#em.find(
      this.#linkClass,
      {
        [this.#names.primaryUserRelationshipName]: { $in: primaryIds },
        [this.#names.sessionTokenAttributeName]: sessionToken,
        [this.#names.statusAttributeName]: 'active',
        ...aliveCondition(this.#pair),
        ...(Object.keys(activeCondition).length > 0 ? { [linked]: activeCondition } : {}),
      },
      {
        populate: [
          linked,
          ...displayFieldPopulate(this.#pair, linked),
          ...populateAlso.flatMap(relation => [relation, ...displayFieldPopulate(this.#pair, relation)]),
        ],
        orderBy: { insertedAt: 'asc', [this.#pair.link.primaryKey]: 'asc' },
      },
    )) as Link[];
  }

  /**
   * Makes a link count again; only its primary user may, and only while there is room under the maximum. The
   * primary's row is locked before the link is read, so the count is never taken from a snapshot older than the
   * lock (MariaDB's REPEATABLE READ fixes it at the first plain read).
   */
  async activate(id: unknown, input: ActorInput<User>): Promise<Link> {
    const actorId = this.#requireActor(input?.actor);
    await this.#ownedLink(this.#em.fork(), id, actorId, 'activate'); // refuse early, outside any lock
    return retryingTransaction(this.#em, async em => {
      await this.#lockPrimary(em, actorId);
      const link = await this.#ownedLink(em, id, actorId, 'activate');
      if (link[this.#names.statusAttributeName] !== 'active') {
        await this.#ensureRoomForOneMore(em, actorId, link[this.#names.sessionTokenAttributeName]);
        link[this.#names.statusAttributeName] = 'active';
      }
      return link as Link;
    });
  }

  /** Keeps the link but stops it counting or being offered for switching; only its primary user may. */
  async deactivate(id: unknown, input: ActorInput<User>): Promise<Link> {
    const actorId = this.#requireActor(input?.actor);
    return retryingTransaction(this.#em, async em => {
      const link = await this.#ownedLink(em, id, actorId, 'deactivate');
      link[this.#names.statusAttributeName] = 'inactive';
      return link as Link;
    });
  }

  /** One link with both users loaded. */
  async read(id: unknown): Promise<Link> {
    const link = await this.#findLink(this.#em, id);
    if (!link) throw new MultiAccountError('NOT_FOUND', 'linked account');
    return link as Link;
  }

  /** Deletes a link; its primary user may, and so may the linked user (to leave the group). */
  async destroy(id: unknown, input: ActorInput<User>): Promise<void> {
    const actorId = this.#requireActor(input?.actor);
    await retryingTransaction(this.#em, async em => {
      const link = await this.#findLink(em, id);
      if (!link) throw new MultiAccountError('NOT_FOUND', 'linked account');
      const primaryId = userIdOf(this.#pair, link[this.#names.primaryUserRelationshipName]);
      const linkedId = userIdOf(this.#pair, link[this.#names.linkedUserRelationshipName]);
      if (!sameUserId(actorId, primaryId) && !sameUserId(actorId, linkedId)) {
        throw new MultiAccountError('NOT_AUTHORIZED', 'destroy');
      }
      em.remove(link);
    });
  }

  /**
   * The group's active links, oldest first, each with its linked user (display fields loaded, a managed
   * entity), in one statement. Where a plain select loads the user whole, the statement is built once per ORM
   * and the rows mapped directly; otherwise the links are found with `em.find`.
   */
  async groupWithUsers(primaryId: UserId, sessionToken: string): Promise<GroupMember<User>[]> {
    const token = requireSessionToken(sessionToken);
    const linked = this.#names.linkedUserRelationshipName;
    if (!plainSelectLoadsAll(this.#em, this.#pair)) {
      const links = (await this.findActiveLinks([primaryId], token)) as Row[];
      return links.map(link => ({
        link: {
          id: link[this.#pair.link.primaryKey],
          linkedUserId: userIdOf(this.#pair, link[linked])!,
          insertedAt: link.insertedAt as Date,
          updatedAt: link.updatedAt as Date,
        },
        fields: link[linked] as Record<string, unknown>,
        user: link[linked] as User,
      }));
    }
    const rows = await sessionGroup.all(this.#em, groupValues(this.#pair, primaryId, token), this.#pair);
    return rows.map(row => groupMemberOf<User>(this.#em, this.#pair, row));
  }

  /**
   * A condition that holds while every one of `userIds` belongs to the group: the primary itself, or linked by
   * an active, unexpired link. It goes into another statement's `where`: the switch's compare-and-set checks
   * membership this way, in that same statement. The accounts' own `activeCheck` is the caller's to check on
   * the entities it loaded (the loader does, on every request). Undefined when there is nothing to check (only
   * the primary).
   */
  membersCondition(primaryId: UserId, sessionToken: string, userIds: UserId[]): SqlCondition | undefined {
    const others = [...new Set(userIds.map(String))]
      .filter(id => id !== String(primaryId))
      .map(id => userIdOf(this.#pair, id)!);
    if (others.length === 0) return undefined;
    const values = { ...groupValues(this.#pair, primaryId, sessionToken), members: others };
    return groupMembersCondition.bind(this.#em, values, this.#pair);
  }

  /**
   * Keeps a group in use from expiring: refreshes `updatedAt` of its links that are still alive, in one
   * statement; links already expired stay expired. Returns how many links it refreshed. Callers decide how
   * often (see `needsTouch`): the Koa loader does it at most hourly per session.
   */
  async touchGroup(primaryUser: UserRef<User>, sessionToken: string): Promise<number> {
    const primaryId = userIdOf(this.#pair, primaryUser);
    if (primaryId === undefined) return 0;
    const group = { ...this.#group(primaryId, requireSessionToken(sessionToken)), ...aliveCondition(this.#pair) };
    return this.#em.nativeUpdate(this.#linkClass, group, { updatedAt: new Date() });
  }

  /** Deletes every link of a group (one primary, one session token); returns how many. */
  async destroyGroup(primaryUser: UserRef<User>, sessionToken: string): Promise<number> {
    const primaryId = userIdOf(this.#pair, primaryUser);
    if (primaryId === undefined) return 0;
    return this.#em.nativeDelete(this.#linkClass, this.#group(primaryId, requireSessionToken(sessionToken)));
  }

  /**
   * The primary leaves its group: its links are replaced, in one transaction, by links from `newPrimary` to
   * every other account it had linked, so the rest of the group stays together.
   */
  async transferGroup(from: UserRef<User>, newPrimary: UserRef<User>, sessionToken: string): Promise<void> {
    const token = requireSessionToken(sessionToken);
    const [fromId, toId] = [userIdOf(this.#pair, from), userIdOf(this.#pair, newPrimary)];
    if (fromId === undefined || toId === undefined) throw new MultiAccountError('NOT_FOUND', 'primary user');
    await retryingTransaction(this.#em, async em => {
      await this.#lockUser(em, fromId); // as every change of a primary's links: one at a time
      const staying = await this.#inTransaction(em).findActiveLinks([fromId], token);
      await em.nativeDelete(this.#linkClass, this.#group(fromId, token));
      // A token has one group at a time: rows of the heir's own under it are an older group's, left behind.
      await em.nativeDelete(this.#linkClass, this.#group(toId, token));
      const heir = staying.find(link =>
        sameUserId(userIdOf(this.#pair, (link as Row)[this.#names.linkedUserRelationshipName]), toId),
      );
      if (!heir) throw new MultiAccountError('NOT_FOUND', 'linked account');
      for (const link of staying) {
        const linked = (link as Row)[this.#names.linkedUserRelationshipName];
        if (link === heir) continue;
        em.create(this.#linkClass, {
          [this.#names.primaryUserRelationshipName]: (heir as Row)[this.#names.linkedUserRelationshipName],
          [this.#names.linkedUserRelationshipName]: linked,
          [this.#names.sessionTokenAttributeName]: token,
          [this.#names.statusAttributeName]: 'active',
          // The group keeps its order (the switcher's, and who is the next heir): each link keeps its age.
          [fixedLinkProperties.insertedAt]: (link as Row)[fixedLinkProperties.insertedAt],
        });
      }
    });
  }

  #inTransaction(em: EntityManager): LinkedAccountActions<User, Link> {
    return new LinkedAccountActions<User, Link>(em, this.#pair);
  }

  #group(primaryId: UserId, sessionToken: string): Row {
    return {
      [this.#names.primaryUserRelationshipName]: primaryId,
      [this.#names.sessionTokenAttributeName]: sessionToken,
    };
  }

  get #userClass() {
    return this.#pair.user.meta.class;
  }

  get #linkClass() {
    return this.#pair.link.meta.class;
  }

  #requireActor(actor: unknown): UserId {
    if (actor === undefined || actor === null) throw new MultiAccountError('NO_ACTOR');
    const id = userIdOf(this.#pair, actor);
    if (id === undefined) throw new MultiAccountError('NOT_FOUND', 'primary user');
    return id;
  }

  async #lockUser(em: EntityManager, id: UserId): Promise<object | null> {
    return em.findOne(
      this.#userClass,
      { [this.#pair.user.primaryKey]: id },
      {
        lockMode: LockMode.PESSIMISTIC_WRITE,
      },
    );
  }

  async #lockPrimary(em: EntityManager, primaryId: UserId): Promise<object> {
    const primary = await this.#lockUser(em, primaryId);
    if (!primary) throw new MultiAccountError('NOT_FOUND', 'primary user');
    if (!passesActiveCheck(this.#pair, primary)) throw new MultiAccountError('INACTIVE_USER', 'primary user');
    return primary;
  }

  async #ensureRoomForOneMore(em: EntityManager, primaryId: UserId, sessionToken: string): Promise<void> {
    const max = this.#pair.user.options.maxLinkedAccounts;
    const active = await em.count(this.#linkClass, {
      ...this.#group(primaryId, sessionToken),
      [this.#names.statusAttributeName]: 'active',
      ...aliveCondition(this.#pair),
    });
    if (active >= max) throw new MultiAccountError('MAX_LINKED_ACCOUNTS', max);
  }

  async #findLink(em: EntityManager, id: unknown): Promise<Row | null> {
    const property = this.#pair.link.meta.properties[this.#pair.link.primaryKey] as { type: string };
    if (typeof id !== 'string' && typeof id !== 'number') return null;
    if (property.type.toLowerCase() === 'uuid' && !isUuid(id)) return null;
    return (await em.findOne(
      this.#linkClass,
      { [this.#pair.link.primaryKey]: id },
      {
        populate: [this.#names.primaryUserRelationshipName, this.#names.linkedUserRelationshipName],
      },
    )) as Row | null;
  }

  async #ownedLink(em: EntityManager, id: unknown, actorId: UserId, action: string): Promise<Row> {
    const link = await this.#findLink(em, id);
    if (!link) throw new MultiAccountError('NOT_FOUND', 'linked account');
    if (!sameUserId(actorId, userIdOf(this.#pair, link[this.#names.primaryUserRelationshipName]))) {
      throw new MultiAccountError('NOT_AUTHORIZED', action);
    }
    return link;
  }
}
