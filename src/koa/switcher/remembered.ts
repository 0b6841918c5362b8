import type { Context } from 'koa';
import { passesActiveCheck } from '../../actions/active-check.ts';
import { userIdOf } from '../../actions/arguments.ts';
import { findUsersById } from '../../actions/find-users.ts';
import type { RequestAccounts } from '../session/request-accounts.ts';
import { rememberedAccountIds } from '../session/remembered-accounts.ts';
import { labelOf } from './markup.js';

export interface RememberedAccount<User extends object = object> {
  user: User;
  /** The account's properties as loaded, to show it (the entity itself). */
  fields: Readonly<Record<string, unknown>>;
  id: string;
  label: string;
  /**
   * Signs this account in again: the sign-in page with the account as `loginHint`, returning to the link route
   * when other accounts of this browser are signed in, so it joins them.
   */
  signInUrl: string;
  /** POST here (with `csrfToken`) so this browser no longer lists the account. */
  forgetUrl: string;
}

/**
 * The accounts this browser remembers as signed out (see `rememberAccounts`), leaving out those signed in now
 * and those that no longer exist or are not active: one statement, and only when the browser remembers any.
 */
export async function rememberedAccounts<User extends object>(
  ctx: Context,
  loaded: RequestAccounts<User>,
  signedIn: readonly string[],
  addAccountUrl: string | null,
): Promise<RememberedAccount<User>[]> {
  const { options, pair, em } = loaded;
  if (!options.rememberAccounts) return [];
  const { hintField } = options.rememberAccounts;
  const ids = rememberedAccountIds(ctx, options.rememberAccounts).filter(id => !signedIn.includes(id));
  if (ids.length === 0) return [];
  const users = await findUsersById<User>(em, pair, ids);
  const { displayFields } = pair.user.options;
  // Signed in: through the link route, as "Add another account" (the hint goes on to the sign-in page).
  const signInUrl = (loginHint: string) =>
    addAccountUrl === null
      ? options.signInPath(ctx, null, loginHint)
      : `${addAccountUrl}?${new URLSearchParams({ login_hint: loginHint })}`;
  return ids.flatMap(remembered => {
    const user = users.get(String(userIdOf(pair, remembered)));
    if (!user || !passesActiveCheck(pair, user)) return [];
    const id = String(userIdOf(pair, user));
    const label = labelOf(user as Record<string, unknown>, displayFields, id);
    const hintValue = displayFields.includes(hintField) ? (user as Record<string, unknown>)[hintField] : undefined;
    const loginHint = hintValue === undefined || hintValue === null || hintValue === '' ? label : String(hintValue);
    return [
      {
        user,
        fields: user as Record<string, unknown>,
        id,
        label,
        signInUrl: signInUrl(loginHint),
        forgetUrl: options.urls.forget(id),
      },
    ];
  });
}
