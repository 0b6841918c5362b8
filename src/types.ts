import type { EntityRepository } from '@mikro-orm/core';
import type {
  ActorInput,
  CreateLinkedAccountInput,
  GetLinkedAccountsInput,
  LinkStatus,
} from './actions/linked-account-actions.ts';
import type { WithLinkedAccounts } from './actions/user-calculations.ts';

/** The names `@LinkedAccountResource` generates under, when not renamed. */
interface LinkNameDefaults {
  sessionTokenAttributeName: 'sessionToken';
  statusAttributeName: 'status';
  primaryUserRelationshipName: 'primaryUser';
  linkedUserRelationshipName: 'linkedUser';
  createActionName: 'createLinkedAccount';
  getLinkedAccountsActionName: 'getLinkedAccounts';
  activateActionName: 'activate';
  deactivateActionName: 'deactivate';
  readActionName: 'read';
  destroyActionName: 'destroy';
}

/** The names `@MultiAccount` generates under, when not renamed. */
interface UserNameDefaults {
  linkedAccountsCalculationName: 'linkedAccounts';
  getUserWithLinkedAccountsActionName: 'getUserWithLinkedAccounts';
}

/** The name option `Key` gives in `Options` (declared `as const`), or its default. */
type NameIn<Options, Defaults, Key extends keyof Defaults> = Options extends {
  readonly [K in Key]: infer Name extends string;
}
  ? Name
  : Defaults[Key];
type LinkName<Options, Key extends keyof LinkNameDefaults> = NameIn<Options, LinkNameDefaults, Key>;
type UserName<Options, Key extends keyof UserNameDefaults> = NameIn<Options, UserNameDefaults, Key>;

/**
 * The properties generated on a link entity, under the names `Options` (the `@LinkedAccountResource` options,
 * `as const`) gives them. Merge them into your (empty) class:
 * `export interface LinkedAccount extends LinkedAccountFields<User> {}`, or with renames
 * `export interface MemberLink extends LinkedAccountFields<Member, typeof memberLinkOptions> {}`.
 */
export type LinkedAccountFields<User, Options = {}> = {
  id: string;
  insertedAt: Date;
  updatedAt: Date;
  readonly isActive: boolean;
} & { [K in LinkName<Options, 'sessionTokenAttributeName'>]: string } & {
  [K in LinkName<Options, 'statusAttributeName'>]: LinkStatus;
} & {
  [K in LinkName<Options, 'primaryUserRelationshipName'> | LinkName<Options, 'linkedUserRelationshipName'>]: User;
};

/** The link repository's generated actions, under the names `Options` gives them. */
export type LinkedAccountRepositoryActions<User, Link, Options = {}> = {
  [K in LinkName<Options, 'createActionName'>]: (input: CreateLinkedAccountInput<User>) => Promise<Link>;
} & {
  [K in LinkName<Options, 'getLinkedAccountsActionName'>]: (input: GetLinkedAccountsInput<User>) => Promise<Link[]>;
} & {
  [K in LinkName<Options, 'activateActionName'> | LinkName<Options, 'deactivateActionName'>]: (
    id: unknown,
    input: ActorInput<User>,
  ) => Promise<Link>;
} & {
  [K in LinkName<Options, 'readActionName'>]: (id: unknown) => Promise<Link>;
} & { [K in LinkName<Options, 'destroyActionName'>]: (id: unknown, input: ActorInput<User>) => Promise<void> };

/** The user repository's generated calculation and read action, under the names `Options` gives them. */
export type MultiAccountUserRepositoryActions<User extends object, Link, Options = {}> = {
  [K in UserName<Options, 'linkedAccountsCalculationName'>]: <Input extends User | User[]>(
    users: Input,
    sessionToken: string,
  ) => Promise<Input>;
} & {
  [K in UserName<Options, 'getUserWithLinkedAccountsActionName'>]: (
    primaryUserId: unknown,
    sessionToken: string,
  ) => Promise<WithLinkedAccounts<User, Link, UserName<Options, 'linkedAccountsCalculationName'>> | null>;
};

/**
 * For `[EntityRepositoryType]?: LinkedAccountRepository<User, LinkedAccount>` on the link entity (`Options`: with
 * renames).
 */
export type LinkedAccountRepository<User, Link extends object, Options = {}> = EntityRepository<Link> &
  LinkedAccountRepositoryActions<User, Link, Options>;

/**
 * For `[EntityRepositoryType]?: MultiAccountUserRepository<User, LinkedAccount>` on the user entity (`Options`:
 * with renames).
 */
export type MultiAccountUserRepository<User extends object, Link, Options = {}> = EntityRepository<User> &
  MultiAccountUserRepositoryActions<User, Link, Options>;
