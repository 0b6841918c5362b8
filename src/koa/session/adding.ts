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
  /**
   * "Sign in again" rather than add: the account (already of this browser) to sign in again, where to go after,
   * and whether it has signed in again (`done`).
   */
  again?: { id: string; returnTo: string; done?: boolean };
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
  const { to, from, until, again } = marker as { to?: unknown; from?: unknown; until?: unknown; again?: unknown };
  const valid = typeof to === 'string' && typeof from === 'string' && typeof until === 'number' && until > Date.now();
  return valid ? { to, from, ...againOf(again) } : undefined;
}

/** Marks the sign-in again of `adding.again` as done: the link route then returns to where it was asked for. */
export function markSignedInAgain(session: SessionData, keys: SessionKeys): void {
  const marker = session[keys.adding] as { again?: { done?: boolean } } | undefined;
  if (marker?.again) session[keys.adding] = { ...marker, again: { ...marker.again, done: true } };
}

function againOf(again: unknown): Pick<Adding, 'again'> {
  if (typeof again !== 'object' || again === null) return {};
  const { id, returnTo, done } = again as { id?: unknown; returnTo?: unknown; done?: unknown };
  if (typeof id !== 'string' || typeof returnTo !== 'string') return {};
  return { again: { id, returnTo, done: done === true } };
}
