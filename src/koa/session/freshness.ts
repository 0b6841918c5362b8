import type { ResolvedKoaOptions } from '../options.ts';

/** What the check needs of a request's accounts (`RequestAccounts`), without importing it back. */
interface SignIns<User extends object> {
  readonly options: ResolvedKoaOptions<User>;
  signedInAt(userIds: readonly string[]): Promise<Map<string, Date>>;
}

/**
 * The accounts among `members` that must sign in on this browser again before a switch into them: those
 * `reauthenticateIf` names, last signed in here longer than `reauthenticateAfter` ago (or never, as far as the
 * server knows). Empty, and no statement, while the option is off.
 */
export async function needingSignInAgain<User extends object>(
  accounts: SignIns<User>,
  members: readonly { id: string; user: User }[],
): Promise<Set<string>> {
  const { reauthenticateAfter, reauthenticateIf } = accounts.options;
  if (reauthenticateAfter === null) return new Set();
  const subject = members.filter(member => reauthenticateIf(member.user));
  if (subject.length === 0) return new Set();
  const signedIn = await accounts.signedInAt(subject.map(member => member.id));
  const cutoff = Date.now() - reauthenticateAfter;
  return new Set(subject.filter(member => !((signedIn.get(member.id)?.getTime() ?? 0) > cutoff)).map(({ id }) => id));
}

/** The hint a sign-in page fills its form with for `user` (the `rememberAccounts` hint field, else its email). */
export function loginHintFor(options: ResolvedKoaOptions, user: object): string | undefined {
  const field = options.rememberAccounts?.hintField ?? 'email';
  const value = (user as Record<string, unknown>)[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
