import type { SessionData, SessionKeys } from './session-keys.ts';

// Long enough to sign in with a password manager and a second factor; short enough that a sign-in page left
// open does not add the next person at this computer to the group.
const addingWindowMs = 15 * 60 * 1000;

/**
 * "Add another account" under way: the next sign-in of this session joins the group of `primaryId`, for a while.
 * Any other sign-in starts a fresh session (see `RequestAccounts.signIn`).
 */
export function markAdding(session: SessionData, keys: SessionKeys, primaryId: string): void {
  session[keys.adding] = { to: primaryId, until: Date.now() + addingWindowMs };
}

/** The primary a sign-in joins now, while "Add another account" is under way; undefined otherwise. */
export function addingTo(session: SessionData, keys: SessionKeys): string | undefined {
  const marker = session[keys.adding];
  if (typeof marker !== 'object' || marker === null) return undefined;
  const { to, until } = marker as { to?: unknown; until?: unknown };
  return typeof to === 'string' && typeof until === 'number' && until > Date.now() ? to : undefined;
}
