import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { expect, it } from 'vitest';

// Every name each entry point exports, values and types: a new export is a decision, made here and in the
// README's "Entry points" section.
const entryPoints: Record<string, { file: string; exports: string[] }> = {
  'mikro-multi-account': {
    file: 'src/index.ts',
    exports: [
      'ActiveCheck',
      'ActorInput',
      'ConfigProblem',
      'ConfigProblemCode',
      'CreateLinkedAccountInput',
      'GetLinkedAccountsInput',
      'LinkStatus',
      'LinkedAccountActions',
      'LinkedAccountFields',
      'LinkedAccountRepository',
      'LinkedAccountRepositoryActions',
      'LinkedAccountResource',
      'LinkedAccountResourceOptions',
      'MultiAccount',
      'MultiAccountConfigError',
      'MultiAccountError',
      'MultiAccountErrorCode',
      'MultiAccountOptions',
      'MultiAccountPair',
      'MultiAccountUserRepository',
      'MultiAccountUserRepositoryActions',
      'NodeSqliteStatementCacheDialect',
      'NodeSqliteStatementCacheOptions',
      'PruneResult',
      'AccountBrowserSession',
      'AccountSessionsOptions',
      'RevokeAccountOptions',
      'listBrowserSessions',
      'revokeAccount',
      'UserCalculations',
      'UserId',
      'UserRef',
      'WithLinkedAccounts',
      'configProblems',
      'isMultiAccountError',
      'linkedAccountResource',
      'multiAccount',
      'multiAccountPair',
      'pruneLinkedAccounts',
      'verifyMultiAccount',
      'withMultiAccount',
    ],
  },
  'mikro-multi-account/koa': {
    file: 'src/koa/index.ts',
    exports: [
      'AccountFallback',
      'AccountSessionData',
      'AccountStateLimits',
      'AccountStateTooLargeError',
      'AccountSwitcherModel',
      'AccountSwitcherOptions',
      'AccountSwitcherRenderOptions',
      'EntityManagerSource',
      'Flash',
      'FlashCode',
      'GroupMembership',
      'IdentityAdapter',
      'IdentityEvents',
      'MultiAccountEvent',
      'MultiAccountHooks',
      'MultiAccountKoa',
      'MultiAccountKoaOptions',
      'MultiAccountState',
      'RedisSessionClient',
      'RedisSessionStoreOptions',
      'RememberAccountsOptions',
      'RememberedAccount',
      'SessionKeys',
      'SwitcherAccount',
      'accountSession',
      'accountSwitcher',
      'accountSwitcherStyles',
      'addAccountReturnPath',
      'browserSessionId',
      'csrfToken',
      'databaseFaultsAs503',
      'getUserId',
      'groupMembers',
      'groupMembership',
      'intendedAccountField',
      'isDatabaseUnavailable',
      'loadMultiAccount',
      'multiAccountKoa',
      'multiAccountRoutes',
      'putUserId',
      'redisSessionStore',
      'renderAccountSwitcher',
      'requireCsrfToken',
      'requireRecentSignIn',
      'requireIntendedAccount',
      'safeLocalPath',
      'signOut',
      'takeFlash',
    ],
  },
  'mikro-multi-account/koa-passport': {
    file: 'src/koa-passport/index.ts',
    exports: ['KoaPassportIdentityOptions', 'KoaPassportLike', 'koaPassportIdentity'],
  },
  'mikro-multi-account/testing': {
    file: 'src/testing/index.ts',
    exports: ['AccountsJson', 'MultiAccountTestBrowser', 'TestResponse', 'linkAccounts'],
  },
  'mikro-multi-account/ts-plugin': {
    file: 'src/compile-time/ts-plugin.ts',
    exports: ['default'],
  },
  'mikro-multi-account/switcher-element': {
    file: 'src/koa/switcher/element.js',
    exports: ['AccountSwitcherElement', 'AccountsJson', 'MarkupNode', 'SwitcherLook'],
  },
  'mikro-multi-account/switcher-menu': {
    file: 'src/koa/switcher/menu.js',
    exports: [],
  },
};

const files = Object.values(entryPoints).map(entry => entry.file);

/** Each file's exports, values and types, as the compiler sees them (one program for all of them). */
function exportsOf(): Map<string, string[]> {
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    target: ts.ScriptTarget.ES2024,
    allowImportingTsExtensions: true,
    allowJs: true,
    experimentalDecorators: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  return new Map(
    files.map(file => {
      const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
      return [file, checker.getExportsOfModule(module).map(symbol => symbol.name)];
    }),
  );
}

it('exports from each entry point what the README documents, and nothing else', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const actual = exportsOf();
  for (const [name, { file, exports }] of Object.entries(entryPoints)) {
    expect(actual.get(file)!.sort(), name).toEqual([...exports].sort());
    const documented = (exported: string) => exported === 'default' || readme.includes(`\`${exported}\``);
    expect(
      exports.filter(exported => !documented(exported)),
      `${name}: undocumented`,
    ).toEqual([]);
  }
});
