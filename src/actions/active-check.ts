import type { MultiAccountPair } from './multi-account-pair.ts';

/** The `where` condition a user must meet to be linked or switched to (empty when no activeCheck is set). */
export function activeUserCondition(pair: MultiAccountPair): Record<string, unknown> {
  const check = pair.user.options.activeCheck;
  return check ? { [check.field]: check.value } : {};
}

export function passesActiveCheck(pair: MultiAccountPair, user: object): boolean {
  const check = pair.user.options.activeCheck;
  if (!check) return true;
  const actual = (user as Record<string, unknown>)[check.field];
  return actual instanceof Date && check.value instanceof Date
    ? actual.getTime() === check.value.getTime()
    : actual === check.value;
}
