export { putUserId, getUserId, clearMultiAccount, signOut, defaultSessionKeys, type SessionKeys } from './session.ts';
export { ensureSessionToken, sessionTokenOf } from './ensure-session-token.ts';
export {
  loadMultiAccount,
  groupMembers,
  groupMembership,
  type MultiAccountState,
  type LoadedAccounts,
  type GroupMembership,
  type AccountFallback,
} from './load-multi-account.ts';
export type { MultiAccountEvent, MultiAccountHooks } from './hooks.ts';
export { multiAccountRoutes } from './routes.ts';
export { accountSwitcher, renderAccountSwitcher, type AccountSwitcherModel, type SwitcherAccount } from './account-switcher.ts';
export { putFlash, takeFlash, flashMessages, type Flash, type FlashCode } from './messages.ts';
export { csrfToken, requireCsrfToken } from './csrf.ts';
export { safeLocalPath } from './safe-redirect.ts';
export type { MultiAccountKoaOptions } from './options.ts';
export type { EntityManagerSource } from './request-entity-manager.ts';
export { isDatabaseUnavailable, databaseFaultsAs503 } from './database-faults.ts';
export { redisSessionStore, type RedisSessionClient } from './redis-session-store.ts';
