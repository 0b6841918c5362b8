import { EntityRepositoryType, OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import {
  LinkedAccountResource,
  MultiAccount,
  type LinkedAccountFields,
  type LinkedAccountRepository,
} from '../src/index.ts';

/** The benchmark's user: room for 20 links, display fields like a real switcher. */
@Entity({ tableName: 'bench_user' })
@MultiAccount({
  linkedAccountResource: () => BenchLink,
  activeCheck: { field: 'status', value: 'active' },
  displayFields: ['name', 'email'],
  maxLinkedAccounts: 25,
})
export class BenchUser {
  [OptionalProps]?: 'status';
  @PrimaryKey() id!: number;
  @Property() name!: string;
  @Property() email!: string;
  @Property() status: string = 'active';
}

@Entity({ tableName: 'bench_link' })
@LinkedAccountResource({ userResource: () => BenchUser })
export class BenchLink {
  [EntityRepositoryType]?: LinkedAccountRepository<BenchUser, BenchLink>;
}
export interface BenchLink extends LinkedAccountFields<BenchUser> {}
