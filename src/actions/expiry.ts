import { fixedLinkProperties } from '../dsl/linked-account-options.ts';
import type { MultiAccountPair } from './multi-account-pair.ts';

/** Links not used since this moment have expired. */
export function expiryCutoff(pair: MultiAccountPair, now = Date.now()): Date {
  return new Date(now - pair.user.options.linkTtl);
}

/** The `where` condition of links still alive: used (their `updatedAt` touched) within `linkTtl`. */
export function aliveCondition(pair: MultiAccountPair, now = Date.now()): Record<string, unknown> {
  return { [fixedLinkProperties.updatedAt]: { $gte: expiryCutoff(pair, now) } };
}

/**
 * Whether a group last touched at `lastTouched` should be touched again now: often enough that it never
 * expires while in use, rarely enough (at most hourly) that reading a group stays read-only almost always.
 */
export function needsTouch(pair: MultiAccountPair, lastTouched: Date, now = Date.now()): boolean {
  // An invalid date (a session value we did not write) is taken for a group never touched.
  return !(now - lastTouched.getTime() <= Math.min(pair.user.options.linkTtl / 10, 60 * 60 * 1000));
}
