import type { SessionData, SessionKeys } from './session-keys.ts';

/**
 * The `/u/N/` numbers of a browser session: its group's accounts in the order they joined it, kept in the
 * session. A number, once given, names the same account until the session ends — an account that leaves keeps
 * its number, so a tab on it is refused rather than moved to the next account, and gets it back if it returns.
 * Members not numbered yet are appended in the group's order, so two requests numbering at once agree.
 */
export function tabSlots(session: SessionData, keys: SessionKeys, memberIds: readonly string[]): readonly string[] {
  const stored = session[keys.tabSlots];
  const slots = Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
  const missing = memberIds.filter(id => !slots.includes(id));
  if (missing.length === 0) return slots;
  const numbered = [...slots, ...missing];
  session[keys.tabSlots] = numbered;
  return numbered;
}
