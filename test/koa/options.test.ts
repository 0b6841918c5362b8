import { describe, expect, it } from 'vitest';
import { loadMultiAccount, multiAccountKoa, multiAccountRoutes } from '../../src/koa/index.ts';
import { User } from '../fixtures/default-entities.ts';

describe('the Koa options, checked once at start-up', () => {
  it('makes the middleware and the router from one options object', () => {
    const { middleware, router } = multiAccountKoa({ userEntity: User, basePath: '/accounts' });
    expect(typeof middleware).toBe('function');
    expect(router.stack.map(layer => layer.path)).toContain('/accounts/switch_to/:userId');
  });

  it('refuses an unknown option, naming the one that was probably meant', () => {
    expect(() => multiAccountKoa({ userEntity: User, basPath: '/x' } as never)).toThrow(
      /unknown option `basPath` \(did you mean `basePath`\?\)/,
    );
    expect(() => loadMultiAccount({ userEntity: User, rememberAccount: true } as never)).toThrow(
      /unknown option `rememberAccount` \(did you mean `rememberAccounts`\?\)/,
    );
    expect(() => multiAccountRoutes({ userEntity: User, colour: 'red' } as never)).toThrow(
      /unknown option `colour`\. Known options: userEntity, em, basePath/,
    );
  });

  it('refuses a value of the wrong kind, naming the option and what it must be', () => {
    expect(() => multiAccountKoa({ userEntity: User, signInPath: '/login' } as never)).toThrow(
      '`signInPath` must be a function, got string',
    );
    expect(() => multiAccountKoa({ userEntity: User, accountSelector: true } as never)).toThrow(
      '`accountSelector` must be an object `{ pathPrefix?: boolean; header?: string }`, got boolean',
    );
    expect(() => multiAccountKoa(undefined as never)).toThrow('the options must be an object');
    expect(() => multiAccountKoa({ userEntity: class NotAnEntity {} })).toThrow(
      'must be the entity with @MultiAccount',
    );
  });
});
