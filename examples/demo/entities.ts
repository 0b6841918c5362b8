import { EntityRepositoryType, OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
// In your app: from 'mikro-multi-account'.
import {
  LinkedAccountResource,
  MultiAccount,
  type LinkedAccountFields,
  type LinkedAccountRepository,
  type MultiAccountUserRepository,
} from '../../src/index.ts';

export type UserStatus = 'active' | 'inactive';

@Entity()
@MultiAccount({
  linkedAccountResource: () => LinkedAccount,
  activeCheck: { field: 'status', value: 'active' },
  displayFields: ['name', 'email'],
  maxLinkedAccounts: 5,
})
export class User {
  [EntityRepositoryType]?: MultiAccountUserRepository<User, LinkedAccount>;
  [OptionalProps]?: 'status';

  @PrimaryKey()
  id!: number;

  @Property()
  name!: string;

  @Property({ unique: true })
  email!: string;

  @Property({ hidden: true })
  passwordHash!: string;

  @Enum({ items: ['active', 'inactive'] })
  status: UserStatus = 'active';
}

/** Empty on purpose: its table, relations and actions are generated at discovery. */
@Entity()
@LinkedAccountResource({ userResource: () => User })
export class LinkedAccount {
  [EntityRepositoryType]?: LinkedAccountRepository<User, LinkedAccount>;
}
export interface LinkedAccount extends LinkedAccountFields<User> {}
