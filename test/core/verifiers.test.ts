import { EntityRepository } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { describe, expect, it } from 'vitest';
import { LinkedAccountResource, MultiAccount, MultiAccountConfigError, verifyMultiAccount } from '../../src/index.ts';
import { LinkedAccount, User } from '../fixtures/default-entities.ts';
import { createTestOrm } from '../support/test-orm.ts';

/**
 * These entities are misconfigured on purpose, for the startup verifiers. Written as literals, the compile-time
 * plugin would (rightly) refuse to compile them; passed through a call, they reach only the startup checks.
 */
const startupOnly = <Options>(options: Options): Options => options;

/** The verifiers' error for a set of entities, as `MikroORM.init` throws it. */
async function problemsOf(entities: Function[]): Promise<string> {
  return (await configErrorOf(entities)).message;
}

async function configErrorOf(entities: Function[]): Promise<MultiAccountConfigError> {
  const error = await createTestOrm('sqlite', entities).then(
    async orm => {
      await orm.close();
      throw new Error('expected the ORM to refuse to start');
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(MultiAccountConfigError);
  return error as MultiAccountConfigError;
}

@Entity()
class NotALink {
  @PrimaryKey() id!: number;
}

@Entity()
@MultiAccount(startupOnly({ linkedAccountResource: () => NotALink }))
class PointsAtPlainEntity {
  @PrimaryKey() id!: number;
}

@Entity()
@MultiAccount(startupOnly({ linkedAccountResource: () => SharedLink }))
class FirstOwner {
  @PrimaryKey() id!: number;
}

@Entity()
@MultiAccount(startupOnly({ linkedAccountResource: () => SharedLink }))
class SecondOwner {
  @PrimaryKey() id!: number;
}

@Entity()
@LinkedAccountResource(startupOnly({ userResource: () => SecondOwner }))
class SharedLink {}

@Entity()
class NotAUser {
  @PrimaryKey() id!: number;
}

@Entity()
@LinkedAccountResource(startupOnly({ userResource: () => NotAUser }))
class LinkToPlainEntity {}

class CustomUserRepository extends EntityRepository<object> {
  linkedAccounts() {
    return 'the app had this first';
  }
}

@Entity({ repository: () => CustomUserRepository })
@MultiAccount(
  startupOnly({
    linkedAccountResource: () => BadLink,
    displayFields: ['name', 'nickname', 'shout'],
    activeCheck: { field: 'nickname', value: 'x' },
  }),
)
class BadUser {
  @PrimaryKey() id!: number;
  @Property() name!: string;
  @Property() linkedAccounts!: string;
  get shout() {
    return this.name.toUpperCase();
  }
}

@Entity()
@LinkedAccountResource(
  startupOnly({
    userResource: () => BadUser,
    statusAttributeName: 'sessionToken',
    createActionName: 'find',
    readActionName: 'fetch',
    destroyActionName: 'fetch',
  }),
)
class BadLink {
  @Property() sessionToken!: number;
  @Property() linkedUser!: string;
}

@Entity()
@MultiAccount(
  startupOnly({ linkedAccountResource: () => WrongTypeLink, activeCheck: { field: 'active', value: 'yes' } }),
)
class WrongTypeUser {
  @PrimaryKey() id!: number;
  @Property() active!: boolean;
}

@Entity()
@MultiAccount(
  startupOnly({ linkedAccountResource: () => WrongTypeLink, activeCheck: { field: 'role', value: 'root' } }),
)
class WrongEnumUser {
  @PrimaryKey() id!: number;
  @Enum({ items: ['member', 'admin'] }) role!: string;
}

@Entity()
@LinkedAccountResource(startupOnly({ userResource: () => WrongTypeUser }))
class WrongTypeLink {}

describe('startup verifiers', () => {
  it('accept a valid pair, and can be called on their own', async () => {
    const testOrm = await createTestOrm('sqlite', [User, LinkedAccount]);
    expect(verifyMultiAccount(testOrm.orm.getMetadata())).toEqual([]);
    await testOrm.close();
  });

  it('report a linkedAccountResource without @LinkedAccountResource', async () => {
    expect(await problemsOf([PointsAtPlainEntity, NotALink])).toContain(
      '[PointsAtPlainEntity] multiAccount -> linkedAccountResource: NotALink has no @LinkedAccountResource.\n' +
        '    fix: decorate it: @LinkedAccountResource({ userResource: () => PointsAtPlainEntity }).',
    );
  });

  it('report references that do not point back', async () => {
    const message = await problemsOf([FirstOwner, SecondOwner, SharedLink]);
    expect(message).toContain(
      '[FirstOwner] multiAccount -> linkedAccountResource: ' +
        'SharedLink has userResource set to SecondOwner, but expected FirstOwner.\n' +
        '    fix: ensure both entities reference each other.',
    );
    expect(message).not.toContain('[SecondOwner]');
  });

  it('report a userResource without @MultiAccount', async () => {
    expect(await problemsOf([LinkToPlainEntity, NotAUser])).toContain(
      '[LinkToPlainEntity] linkedAccountResource -> userResource: NotAUser has no @MultiAccount.',
    );
  });

  it('report a user entity registered without its link entity, and the reverse', async () => {
    expect(await problemsOf([User])).toContain(
      '[User] multiAccount -> linkedAccountResource: LinkedAccount is not registered with MikroORM.\n' +
        '    fix: add LinkedAccount to `entities`.',
    );
    expect(await problemsOf([LinkedAccount])).toContain(
      '[LinkedAccount] linkedAccountResource -> userResource: User is not registered with MikroORM.\n' +
        '    fix: add User to `entities`.',
    );
  });

  it('list every problem of a badly configured pair in one error', async () => {
    const message = await problemsOf([BadUser, BadLink]);
    const expected = [
      '[BadUser] multiAccount -> displayFields: references unknown field `nickname` on BadUser.',
      '[BadUser] multiAccount -> activeCheck: field `nickname` is not a persistent property of BadUser.',
      '[BadUser] multiAccount -> linkedAccountsCalculationName: ' +
        "BadUser's repository already has a method `linkedAccounts`.",
      '[BadUser] multiAccount -> linkedAccountsCalculationName: `linkedAccounts` is already a property of BadUser.',
      '[BadLink] linkedAccountResource -> sessionTokenAttributeName: ' +
        '`sessionToken` is used for more than one generated property.',
      '[BadLink] linkedAccountResource -> statusAttributeName: ' +
        '`sessionToken` is used for more than one generated property.',
      '[BadLink] linkedAccountResource -> sessionTokenAttributeName: ' +
        'BadLink.sessionToken is declared differently: the link needs a uuid string column there.',
      '[BadLink] linkedAccountResource -> linkedUserRelationshipName: ' +
        'BadLink.linkedUser is declared differently: the link needs a many-to-one to BadUser there.',
      "[BadLink] linkedAccountResource -> createActionName: BadLink's repository already has a method `find`.",
      '[BadLink] linkedAccountResource -> readActionName: `fetch` names more than one generated method.',
    ];
    for (const line of expected) expect(message).toContain(line);
    expect(message).toMatch(/^mikro-multi-account configuration has \d+ problems:\n/);
    // A getter counts as a display field.
    expect(message).not.toContain('`shout`');
  });

  it('give every problem a stable code to match on', async () => {
    const { problems } = await configErrorOf([BadUser, BadLink]);
    expect(new Set(problems.map(problem => problem.code))).toEqual(
      new Set([
        'UNKNOWN_DISPLAY_FIELD',
        'ACTIVE_CHECK_NOT_A_COLUMN',
        'REPOSITORY_METHOD_EXISTS',
        'NAME_IS_A_PROPERTY',
        'NAME_USED_TWICE',
        'DECLARED_DIFFERENTLY',
        'METHOD_NAME_USED_TWICE',
      ]),
    );
    expect(problems.find(problem => problem.code === 'UNKNOWN_DISPLAY_FIELD')).toMatchObject({
      entity: 'BadUser',
      decorator: 'multiAccount',
      option: 'displayFields',
    });
  });

  it('report an activeCheck value that does not fit the property', async () => {
    expect(await problemsOf([WrongTypeUser, WrongTypeLink])).toContain(
      '[WrongTypeUser] multiAccount -> activeCheck: value "yes" is a string, but active holds a boolean.',
    );
    expect(await problemsOf([WrongEnumUser, WrongTypeLink, WrongTypeUser])).toContain(
      '[WrongEnumUser] multiAccount -> activeCheck: value "root" is not one of role\'s values (member, admin).',
    );
  });
});
