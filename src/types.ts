import type { EntityRepository } from '@mikro-orm/core';
import type { ActorInput, CreateLinkedAccountInput, GetLinkedAccountsInput, LinkStatus } from './actions/linked-account-actions.ts';
import type { WithLinkedAccounts } from './actions/user-calculations.ts';

/**
 * The properties generated on a link entity with default names. Merge them into your (empty) class:
 * `export interface LinkedAccount extends LinkedAccountFields<User> {}`.
 */
export interface LinkedAccountFields<User> {
  id: string;
  sessionToken: string;
  status: LinkStatus;
  insertedAt: Date;
  updatedAt: Date;
  primaryUser: User;
  linkedUser: User;
  readonly isActive: boolean;
}

/** The link repository's generated actions, with default names. */
export interface LinkedAccountRepositoryActions<User, Link> {
  createLinkedAccount(input: CreateLinkedAccountInput<User>): Promise<Link>;
  getLinkedAccounts(input: GetLinkedAccountsInput<User>): Promise<Link[]>;
  activate(id: unknown, input: ActorInput<User>): Promise<Link>;
  deactivate(id: unknown, input: ActorInput<User>): Promise<Link>;
  read(id: unknown): Promise<Link>;
  destroy(id: unknown, input: ActorInput<User>): Promise<void>;
}

/** The user repository's generated calculation and read action, with default names. */
export interface MultiAccountUserRepositoryActions<User extends object, Link> {
  linkedAccounts<Input extends User | User[]>(users: Input, sessionToken: string): Promise<Input>;
  getUserWithLinkedAccounts(primaryUserId: unknown, sessionToken: string): Promise<WithLinkedAccounts<User, Link> | null>;
}

/** For `[EntityRepositoryType]?: LinkedAccountRepository<User, LinkedAccount>` on the link entity. */
export type LinkedAccountRepository<User, Link extends object> = EntityRepository<Link> & LinkedAccountRepositoryActions<User, Link>;

/** For `[EntityRepositoryType]?: MultiAccountUserRepository<User, LinkedAccount>` on the user entity. */
export type MultiAccountUserRepository<User extends object, Link> = EntityRepository<User> &
  MultiAccountUserRepositoryActions<User, Link>;
