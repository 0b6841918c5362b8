import type { EntityManager, EntitySchema } from '@mikro-orm/core';
import { LinkedAccount, User } from '../fixtures/default-entities.ts';
import { Member, MemberLink } from '../fixtures/renamed-entities.ts';
import { Person, PersonLink } from '../fixtures/schema-entities.ts';

// Type-checked by the tsconfig beside it, with standard decorators; the root tsconfig would read them as legacy ones.
const esDecoratorsFile = 'entities.ts';
const { Customer, CustomerLink }: { Customer: any; CustomerLink: any } = await import(
  `../fixtures/es-decorators/${esDecoratorsFile}`
);

/** An entity as MikroORM takes it: a decorated class, or a `defineEntity` / `EntitySchema` definition. */
type EntityDefinition = Function | EntitySchema<any, any>;

/**
 * One entity pair as the behaviour suite sees it: the names it was configured with, so the same tests run
 * against default names and against every name renamed.
 */
export interface PairUnderTest {
  label: string;
  entities: EntityDefinition[];
  userClass: any;
  linkClass: any;
  max: number;
  userId: string;
  displayFields: string[];
  names: {
    create: string;
    list: string;
    activate: string;
    deactivate: string;
    read: string;
    destroy: string;
    loadUser: string;
    calculation: string;
    token: string;
    status: string;
    primary: string;
    linked: string;
  };
  schema: {
    table: string;
    token: string;
    status: string;
    primary: string;
    linked: string;
    userTable: string;
    userKey: string;
  };
  newUser(em: EntityManager, handle: string): any;
  /** The property the test app's sign-in form takes as the account name. */
  loginField: string;
  loginOf(user: any): string;
  setActive(user: any, active: boolean): void;
}

/** What a pair is called when nothing is renamed. */
const defaultNames: PairUnderTest['names'] = {
  create: 'createLinkedAccount',
  list: 'getLinkedAccounts',
  activate: 'activate',
  deactivate: 'deactivate',
  read: 'read',
  destroy: 'destroy',
  loadUser: 'getUserWithLinkedAccounts',
  calculation: 'linkedAccounts',
  token: 'sessionToken',
  status: 'status',
  primary: 'primaryUser',
  linked: 'linkedUser',
};

/**
 * The default pair's shape (default names, numeric ids, name/email/status columns), as each way of defining
 * entities declares it: only the classes and the tables differ.
 */
function defaultShapedPair(
  label: string,
  userClass: any,
  linkClass: any,
  tables: { link: string; user: string },
): PairUnderTest {
  return {
    label,
    entities: [userClass, linkClass],
    userClass,
    linkClass,
    max: 3,
    userId: 'id',
    displayFields: ['name', 'email'],
    names: defaultNames,
    schema: {
      table: tables.link,
      token: 'session_token',
      status: 'status',
      primary: 'primary_user_id',
      linked: 'linked_user_id',
      userTable: tables.user,
      userKey: 'id',
    },
    newUser: (em, handle) => em.create(userClass, { name: handle, email: `${handle}@example.com` } as never),
    setActive: (user, active) => (user.status = active ? 'active' : 'suspended'),
    loginField: 'email',
    loginOf: user => user.email,
  };
}

export const pairsUnderTest: PairUnderTest[] = [
  defaultShapedPair('default names', User, LinkedAccount, { link: 'linked_account', user: 'user' }),
  {
    label: 'every name renamed',
    entities: [Member, MemberLink],
    userClass: Member,
    linkClass: MemberLink,
    max: 2,
    userId: 'uuid',
    displayFields: ['handle', 'label'],
    names: {
      create: 'linkGuest',
      list: 'listGuests',
      activate: 'enableLink',
      deactivate: 'disableLink',
      read: 'fetchLink',
      destroy: 'removeLink',
      loadUser: 'loadWithGuests',
      calculation: 'guests',
      token: 'browserKey',
      status: 'state',
      primary: 'owner',
      linked: 'guest',
    },
    schema: {
      table: 'member_links',
      token: 'browser_key',
      status: 'state',
      primary: 'owner_uuid',
      linked: 'guest_uuid',
      userTable: 'members',
      userKey: 'uuid',
    },
    newUser: (em, handle) => em.create(Member, { handle }),
    setActive: (user, active) => (user.enabled = active),
    loginField: 'handle',
    loginOf: user => user.handle,
  },
  defaultShapedPair('entities from defineEntity', Person, PersonLink, { link: 'person_link', user: 'person' }),
  defaultShapedPair('ES decorators', Customer, CustomerLink, { link: 'customer_link', user: 'customer' }),
];
