import escapeHtml from 'escape-html';
import type { Context } from 'koa';
import { sameUserId, userIdOf } from '../actions/arguments.ts';
import { csrfToken } from './csrf.ts';
import type { LoadedAccounts } from './load-multi-account.ts';

export interface SwitcherAccount<User extends object = object> {
  user: User;
  id: string;
  /** The first display field (or the id): what a person recognises the account by. */
  label: string;
  current: boolean;
  primary: boolean;
  /** A page that confirms and POSTs the switch; forms can POST to the same URL with `csrfToken`. */
  switchUrl: string;
}

export interface AccountSwitcherModel<User extends object = object> {
  /** The primary first (in standard mode: the signed-in user, as primary and current), then each linked account. */
  accounts: SwitcherAccount<User>[];
  /** Starts adding another account, or null when nobody is signed in. */
  addAccountUrl: string | null;
  signOutUrl: string;
  /** For forms that POST a switch directly. */
  csrfToken: string;
}

/** A template-agnostic view model of the account switcher; needs `loadMultiAccount` earlier in the request. */
export function accountSwitcher<User extends object = object>(ctx: Context): AccountSwitcherModel<User> {
  const loaded = ctx.state.multiAccount as LoadedAccounts<User> | undefined;
  if (!loaded) throw new Error('accountSwitcher(ctx) needs the loadMultiAccount middleware to run earlier in the request.');
  const { options, pair, currentUser, primaryUser, group } = loaded;
  const idOf = (user: User) => String(userIdOf(pair, user));
  const members = primaryUser ? group : currentUser ? [currentUser] : [];
  const accounts = members.map(user => ({
    user,
    id: idOf(user),
    label: labelOf(user, pair.user.options.displayFields, idOf(user)),
    current: currentUser !== null && sameUserId(idOf(user), idOf(currentUser)),
    primary: user === (primaryUser ?? currentUser),
    switchUrl: options.urls.switchTo(idOf(user)),
  }));
  let addAccountUrl: string | null = null;
  if (primaryUser) addAccountUrl = options.signInPath(ctx, idOf(primaryUser));
  else if (currentUser) addAccountUrl = options.urls.link(idOf(currentUser));
  return { accounts, addAccountUrl, signOutUrl: options.signOutPath(ctx), csrfToken: csrfToken(ctx) };
}

function labelOf(user: object, displayFields: readonly string[], fallback: string): string {
  const value = displayFields.map(field => (user as Record<string, unknown>)[field]).find(field => field !== undefined && field !== null && field !== '');
  return value === undefined ? fallback : String(value);
}

/** A small, unstyled switcher: everything printed is escaped; switching is a CSRF-protected POST. */
export function renderAccountSwitcher(model: AccountSwitcherModel): string {
  const items = model.accounts.map(account => {
    const tags = [account.primary ? ' <small>(primary)</small>' : '', account.current ? ' <small>(current)</small>' : ''].join('');
    if (account.current) return `<li class="mma-account mma-current"><span>${escapeHtml(account.label)}</span>${tags}</li>`;
    return (
      `<li class="mma-account"><form method="post" action="${escapeHtml(account.switchUrl)}">` +
      `<input type="hidden" name="_csrf" value="${escapeHtml(model.csrfToken)}">` +
      `<button type="submit">Switch to ${escapeHtml(account.label)}</button>${tags}</form></li>`
    );
  });
  const add = model.addAccountUrl ? `<li class="mma-add"><a href="${escapeHtml(model.addAccountUrl)}">Add another account</a></li>` : '';
  return `<ul class="mma-account-switcher">${items.join('')}${add}</ul>`;
}
