export { putUserId, getUserId, signOut } from './session.ts';
export { addAccountReturnPath } from './add-account.ts';
export { defaultSessionKeys, type SessionKeys } from './session-keys.ts';
export { sessionKeyIdentity, type IdentityAdapter, type IdentityEvents } from './identity.ts';
export { StaleSessionError } from './browser-session.ts';
export { groupMembers, groupMembership } from './group-membership.ts';
export {
  loadMultiAccount,
  type MultiAccountState,
  type LoadedAccounts,
  type GroupMembership,
  type AccountFallback,
} from './load-multi-account.ts';
export type { MultiAccountEvent, MultiAccountHooks } from './hooks.ts';
export { multiAccountRoutes } from './routes.ts';
export {
  accountSwitcher,
  type AccountSwitcherModel,
  type AccountSwitcherOptions,
  type SwitcherAccount,
} from './switcher/model.ts';
export type { RememberedAccount } from './switcher/remembered.ts';
export type { RememberAccountsOptions } from './remembered-accounts.ts';
export { renderAccountSwitcher, type AccountSwitcherRenderOptions } from './switcher/render.ts';
export { accountSwitcherStyles } from './switcher/styles.ts';
export { putFlash, takeFlash, flashMessages, type Flash, type FlashCode } from './messages.ts';
export { csrfToken, requireCsrfToken } from './csrf.ts';
export { safeLocalPath } from './safe-redirect.ts';
export type { MultiAccountKoaOptions } from './options.ts';
export type { EntityManagerSource } from './request-entity-manager.ts';
export { isDatabaseUnavailable, databaseFaultsAs503 } from './database-faults.ts';
export { redisSessionStore, type RedisSessionClient, type RedisSessionStoreOptions } from './redis-session-store.ts';
