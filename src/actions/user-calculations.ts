import type { EntityManager } from '@mikro-orm/core';
import { MultiAccountError } from '../errors/multi-account-error.ts';
import { requireSessionToken, userIdOf, type UserId } from './arguments.ts';
import { displayFieldPopulate } from './display-fields.ts';
import { LinkedAccountActions } from './linked-account-actions.ts';
import type { MultiAccountPair } from './multi-account-pair.ts';

/** A user with the links of one session loaded under the calculation's name (`linkedAccounts` by default). */
export type WithLinkedAccounts<User, Link, Name extends string = 'linkedAccounts'> = User & { [K in Name]: Link[] };

/** The user entity's calculation and read action; the repository exposes them under their configured names. */
export class UserCalculations<User extends object = object, Link extends object = object> {
  readonly #em: EntityManager;
  readonly #pair: MultiAccountPair;

  constructor(em: EntityManager, pair: MultiAccountPair) {
    this.#em = em;
    this.#pair = pair;
  }

  /**
   * Loads each user's active links in `sessionToken` onto the user, in one statement for all of them
   * (the original ran one query per user).
   */
  async linkedAccounts<Input extends User | User[]>(users: Input, sessionToken: string): Promise<Input> {
    const token = requireSessionToken(sessionToken);
    const list = (Array.isArray(users) ? users : [users]) as Record<string, unknown>[];
    const ids = list.map(user => userIdOf(this.#pair, user)).filter((id): id is UserId => id !== undefined);
    const links = ids.length > 0 ? await this.#actions.findActiveLinks(ids, token) : [];
    const primaryName = this.#pair.link.options.primaryUserRelationshipName;
    const byPrimary = Map.groupBy(links as Record<string, unknown>[], link =>
      String(userIdOf(this.#pair, link[primaryName])),
    );
    for (const user of list) {
      user[this.#pair.user.options.linkedAccountsCalculationName] =
        byPrimary.get(String(userIdOf(this.#pair, user))) ?? [];
    }
    return users;
  }

  /** The primary user with its display fields and this session's links, in two statements whatever their number. */
  async getUserWithLinkedAccounts(
    primaryUserId: unknown,
    sessionToken: string,
  ): Promise<WithLinkedAccounts<User, Link> | null> {
    if (primaryUserId === undefined || primaryUserId === null)
      throw new MultiAccountError('MISSING_ARGUMENT', 'primaryUserId');
    requireSessionToken(sessionToken);
    const id = userIdOf(this.#pair, primaryUserId);
    if (id === undefined) return null;
    const user = await this.#em.findOne(
      this.#pair.user.meta.class,
      { [this.#pair.user.primaryKey]: id },
      {
        populate: displayFieldPopulate(this.#pair),
      },
    );
    if (!user) return null;
    return (await this.linkedAccounts(user as User, sessionToken)) as WithLinkedAccounts<User, Link>;
  }

  get #actions() {
    return new LinkedAccountActions<User, Link>(this.#em, this.#pair);
  }
}
