export { putUserId, getUserId, signOut, browserSessionId } from './session/sign-in.ts';
export { addAccountReturnPath } from './session/add-account.ts';
export type { SessionKeys } from './session/session-keys.ts';
export type { IdentityAdapter, IdentityEvents } from './session/identity.ts';
export { groupMembers, groupMembership } from './session/group.ts';
export type { GroupMembership } from './session/group-membership.ts';
export type { AccountFallback } from './session/request-accounts.ts';
export { loadMultiAccount, type MultiAccountState } from './middleware/load-accounts.ts';
export { multiAccountKoa, type MultiAccountKoa } from './multi-account-koa.ts';
export type { MultiAccountEvent, MultiAccountHooks } from './hooks.ts';
export { multiAccountRoutes } from './routes/router.ts';
export {
  accountSwitcher,
  type AccountSwitcherModel,
  type AccountSwitcherOptions,
  type SwitcherAccount,
} from './switcher/model.ts';
export type { RememberedAccount } from './switcher/remembered.ts';
export type { RememberAccountsOptions } from './session/remembered-accounts.ts';
export { renderAccountSwitcher, type AccountSwitcherRenderOptions } from './switcher/render.ts';
export { accountSwitcherStyles } from './switcher/styles.ts';
export { takeFlash, type Flash, type FlashCode } from './session/flash.ts';
export { accountSession, type AccountSessionData } from './session/account-state.ts';
export { AccountStateTooLargeError, type AccountStateLimits } from './session/account-state-limits.ts';
export { requireCsrfToken } from './middleware/csrf.ts';
export { requireRecentSignIn } from './middleware/recent-sign-in.ts';
export { intendedAccountField, requireIntendedAccount } from './middleware/intended-account.ts';
export { csrfToken } from './session/intent.ts';
export { safeLocalPath } from './http/safe-redirect.ts';
export type { MultiAccountKoaOptions } from './options.ts';
export type { EntityManagerSource } from './session/request-entity-manager.ts';
export { isDatabaseUnavailable, databaseFaultsAs503 } from './middleware/database-faults.ts';
export {
  redisSessionStore,
  type RedisSessionClient,
  type RedisSessionStoreOptions,
} from './stores/redis-session-store.ts';
