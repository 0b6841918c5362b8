import { describe, expect, it } from 'vitest';
import { LinkedAccountResource, MultiAccount, MultiAccountConfigError } from '../../src/index.ts';
import { linkedAccountOptionsOf, multiAccountOptionsOf } from '../../src/dsl/registry.ts';

class Link {}
class Account {}

/** Applies a decorator the way TypeScript's legacy decorators do, returning the error it throws. */
function decorateError(decorate: () => (target: Function) => void, target: Function = class Target {}): string {
  try {
    decorate()(target);
  } catch (error) {
    expect(error).toBeInstanceOf(MultiAccountConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the decorator to refuse its options');
}

describe('@MultiAccount options', () => {
  it('fills the defaults', () => {
    class Person {}
    MultiAccount({ linkedAccountResource: () => Link })(Person);
    expect(multiAccountOptionsOf(Person)).toMatchObject({
      displayFields: [],
      maxLinkedAccounts: 5,
      getUserWithLinkedAccountsActionName: 'getUserWithLinkedAccounts',
      linkedAccountsCalculationName: 'linkedAccounts',
    });
    expect(multiAccountOptionsOf(Person)!.activeCheck).toBeUndefined();
  });

  it.each([
    [{}, 'linkedAccountResource: is required'],
    [
      { linkedAccountResource: Link },
      'linkedAccountResource: expected a function returning an entity class, e.g. `() => LinkedAccount`, ' +
        'got the class Link (wrap it: () => Link).',
    ],
    [
      { linkedAccountResource: () => Link, maxLinkedAccounts: 0 },
      'maxLinkedAccounts: expected a positive integer, e.g. 5, got 0.',
    ],
    [
      { linkedAccountResource: () => Link, maxLinkedAccounts: 2.5 },
      'maxLinkedAccounts: expected a positive integer, e.g. 5, got 2.5.',
    ],
    [
      { linkedAccountResource: () => Link, maxLinkedAccounts: '5' },
      'maxLinkedAccounts: expected a positive integer, e.g. 5, got "5".',
    ],
    [
      { linkedAccountResource: () => Link, displayFields: 'email' },
      'displayFields: expected an array of property names, e.g. ["name", "email"], got "email".',
    ],
    [
      { linkedAccountResource: () => Link, activeCheck: { field: 'status' } },
      'activeCheck: expected an object `{ field: "status", value: "active" }`, got {"field":"status"}.',
    ],
    [
      { linkedAccountResource: () => Link, linkedAccountsCalculationName: 'linked accounts' },
      'linkedAccountsCalculationName: expected a JavaScript identifier string',
    ],
    [
      { linkedAccountResource: () => Link, maxLinked: 3 },
      'maxLinked: unknown option.\n    fix: use one of: linkedAccountResource, activeCheck',
    ],
  ])('refuses %j naming the class, the option and what is expected', (options, expected) => {
    const message = decorateError(() => MultiAccount(options as never), class Customer {});
    expect(message).toContain(`[Customer] multiAccount -> ${expected}`);
  });

  it('reports every wrong option at once', () => {
    const message = decorateError(() => MultiAccount({ maxLinkedAccounts: -1, displayFields: [1] } as never));
    expect(message).toContain('has 3 problems');
    expect(message).toContain('linkedAccountResource: is required');
    expect(message).toContain('maxLinkedAccounts: expected a positive integer');
    expect(message).toContain('displayFields: expected an array of property names');
  });

  it('refuses a class decorated twice', () => {
    class Twice {}
    MultiAccount({ linkedAccountResource: () => Link })(Twice);
    expect(decorateError(() => MultiAccount({ linkedAccountResource: () => Link }), Twice)).toContain(
      '[Twice] multiAccount -> (decorator): @MultiAccount is applied twice.',
    );
  });

  it('works as a standard ES class decorator too', () => {
    class EsUser {}
    const context = {
      kind: 'class',
      name: 'EsUser',
      addInitializer() {},
      metadata: {},
    } as unknown as ClassDecoratorContext;
    MultiAccount({ linkedAccountResource: () => Link, maxLinkedAccounts: 2 })(EsUser, context);
    expect(multiAccountOptionsOf(EsUser)?.maxLinkedAccounts).toBe(2);
  });
});

describe('@LinkedAccountResource options', () => {
  it('fills every name with the camelCase of the original', () => {
    class AccountLink {}
    LinkedAccountResource({ userResource: () => Account })(AccountLink);
    expect(linkedAccountOptionsOf(AccountLink)).toMatchObject({
      sessionTokenAttributeName: 'sessionToken',
      statusAttributeName: 'status',
      primaryUserRelationshipName: 'primaryUser',
      linkedUserRelationshipName: 'linkedUser',
      createActionName: 'createLinkedAccount',
      getLinkedAccountsActionName: 'getLinkedAccounts',
      activateActionName: 'activate',
      deactivateActionName: 'deactivate',
      readActionName: 'read',
      destroyActionName: 'destroy',
    });
  });

  it.each([
    [{}, 'userResource: is required'],
    [{ userResource: 'User' }, 'userResource: expected a function returning an entity class'],
    [
      { userResource: () => Account, statusAttributeName: '' },
      'statusAttributeName: expected a JavaScript identifier string, e.g. "sessionToken", got "".',
    ],
    [
      { userResource: () => Account, createActionName: 'create-link' },
      'createActionName: expected a JavaScript identifier string',
    ],
  ])('refuses %j naming the class, the option and what is expected', (options, expected) => {
    const message = decorateError(() => LinkedAccountResource(options as never), class Membership {});
    expect(message).toContain(`[Membership] linkedAccountResource -> ${expected}`);
  });
});
