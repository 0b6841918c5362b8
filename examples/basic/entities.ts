import { EntityRepositoryType, OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
// In your app: from 'mikro-multi-account'.
import {
  LinkedAccountResource,
  MultiAccount,
  type LinkedAccountFields,
  type LinkedAccountRepository,
  type MultiAccountUserRepository,
} from '../../src/index.ts';

@Entity()
@MultiAccount({
  linkedAccountResource: () => LinkedAccount,
  activeCheck: { field: 'active', value: true },
  displayFields: ['name', 'email'],
})
export class User {
  [EntityRepositoryType]?: MultiAccountUserRepository<User, LinkedAccount>;
  [OptionalProps]?: 'active';

  @PrimaryKey()
  id!: number;

  @Property()
  name!: string;

  @Property({ unique: true })
  email!: string;

  @Property()
  active: boolean = true;
}

/** Empty on purpose: its table, relations and actions are generated at discovery. */
@Entity()
@LinkedAccountResource({ userResource: () => User })
export class LinkedAccount {
  [EntityRepositoryType]?: LinkedAccountRepository<User, LinkedAccount>;
}
export interface LinkedAccount extends LinkedAccountFields<User> {}
