export { MultiAccount, multiAccount } from './dsl/multi-account.ts';
export { LinkedAccountResource, linkedAccountResource } from './dsl/linked-account-resource.ts';
export type { MultiAccountOptions, ActiveCheck } from './dsl/multi-account-options.ts';
export type { LinkedAccountResourceOptions } from './dsl/linked-account-options.ts';
export { withMultiAccount } from './transformers/with-multi-account.ts';
export { verifyMultiAccount } from './verifiers/verify-multi-account.ts';
export { LinkedAccountActions } from './actions/linked-account-actions.ts';
export type {
  CreateLinkedAccountInput,
  GetLinkedAccountsInput,
  ActorInput,
  LinkStatus,
} from './actions/linked-account-actions.ts';
export { UserCalculations, type WithLinkedAccounts } from './actions/user-calculations.ts';
export { multiAccountPair, type MultiAccountPair } from './actions/multi-account-pair.ts';
export { pruneLinkedAccounts, type PruneResult } from './actions/prune.ts';
export {
  listBrowserSessions,
  revokeAccount,
  type AccountBrowserSession,
  type AccountSessionsOptions,
  type RevokeAccountOptions,
} from './actions/account-sessions.ts';
export type { UserId, UserRef } from './actions/arguments.ts';
export { MultiAccountError, isMultiAccountError } from './errors/multi-account-error.ts';
export type { MultiAccountErrorCode } from './errors/error-codes.ts';
export { MultiAccountConfigError, type ConfigProblem } from './errors/config-error.ts';
export { configProblems, type ConfigProblemCode } from './errors/config-problems.ts';
export type * from './types.ts';
export {
  NodeSqliteStatementCacheDialect,
  type NodeSqliteStatementCacheOptions,
} from './sqlite/node-sqlite-statement-cache.ts';
