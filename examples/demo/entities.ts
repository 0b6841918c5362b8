import { EntityRepositoryType, type EventArgs, OptionalProps, type Rel } from '@mikro-orm/core';
import {
  BeforeUpdate,
  Entity,
  Enum,
  Filter,
  ManyToOne,
  PrimaryKey,
  Property,
  Unique,
} from '@mikro-orm/decorators/legacy';
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

/** A team: every user has a personal one (`personalOf`), and shares others through memberships. */
@Entity()
export class Team {
  @PrimaryKey()
  id!: number;

  @Property()
  name!: string;

  @ManyToOne(() => User, { nullable: true, deleteRule: 'cascade' })
  @Unique()
  personalOf?: Rel<User> | null;
}

@Entity()
@Unique({ properties: ['user', 'team'] })
export class Membership {
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: Rel<User>;

  @ManyToOne(() => Team, { deleteRule: 'cascade' })
  team!: Rel<Team>;
}

/**
 * A note of a team. Every query of notes is scoped to the acting account's active team by this filter, on by
 * default: a query before the team is known fails instead of showing every team's notes (see teams.ts).
 */
@Entity()
@Filter({ name: 'team', cond: (args: Record<string, unknown>) => ({ team: args.teamId as number }), default: true })
export class Note {
  @PrimaryKey()
  id!: number;

  /** Set once, from the active team; never changed by an update. */
  @ManyToOne(() => Team)
  team!: Rel<Team>;

  @ManyToOne(() => User)
  author!: Rel<User>;

  @Property({ length: 500 })
  text!: string;

  /** A note never moves to another team: the flush that would is refused. */
  @BeforeUpdate()
  keepTeam(args: EventArgs<Note>): void {
    if (args.changeSet && 'team' in args.changeSet.payload) throw new Error('A note never moves to another team.');
  }
}
