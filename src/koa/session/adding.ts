import type { SessionData, SessionKeys } from './session-keys.ts';

// Long enough to sign in with a password manager and a second factor; short enough that a sign-in page left
// open does not add the next person at this computer to the group.
const addingWindowMs = 15 * 60 * 1000;

/** "Add another account" under way: the group a sign-in joins, and the account that asked to add one. */
export interface Adding {
  /** The primary of the group. */
  to: string;
  /** The account acting when "Add another account" was pressed: the browser goes back to it if the link fails. */
  from: string;
}

/**
 * "Add another account" under way: the next sign-in of this session joins the group of `adding.to`, for a while.
 * Any other sign-in starts a fresh session (see `RequestAccounts.signIn`).
 */
export function markAdding(session: SessionData, keys: SessionKeys, adding: Adding): void {
  session[keys.adding] = { ...adding, until: Date.now() + addingWindowMs };
}

/** What "Add another account" adds to and from, while under way; undefined otherwise. */
export function addingOf(session: SessionData, keys: SessionKeys): Adding | undefined {
  const marker = session[keys.adding];
  if (typeof marker !== 'object' || marker === null) return undefined;
  const { to, from, until } = marker as { to?: unknown; from?: unknown; until?: unknown };
  const valid = typeof to === 'string' && typeof from === 'string' && typeof until === 'number' && until > Date.now();
  return valid ? { to, from } : undefined;
}
