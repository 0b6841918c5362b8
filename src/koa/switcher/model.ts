import type { Context } from 'koa';
import { sameUserId, userIdOf } from '../../actions/arguments.ts';
import { WithLazyUser } from '../../actions/lazy-user.ts';
import { csrfToken } from '../session/intent.ts';
import { tabUrl, throughTab, withoutTabPrefix } from '../middleware/account-selector.ts';
import { needingSignInAgain } from '../session/freshness.ts';
import type { MemberView } from '../session/group-membership.ts';
import { accountsOf } from '../session/request-accounts.ts';
import { labelOf } from './markup.js';
import { rememberedAccounts, type RememberedAccount } from './remembered.ts';

export interface SwitcherAccount<User extends object = object> {
  /** The account's entity, made the first time it is read: showing an account needs only `fields`. */
  readonly user: User;
  /** The account's properties as loaded (display fields among them), to show it. */
  fields: Readonly<Record<string, unknown>>;
  id: string;
  /** The first display field (or the id): what a person recognises the account by. */
  label: string;
  current: boolean;
  primary: boolean;
  /**
   * A page that confirms and POSTs the switch (forms can POST to the same URL with `csrfToken`); with per-tab
   * selection on (`accountSelector.pathPrefix`), a plain `/u/:index/…` link that acts as the account in that tab.
   */
  switchUrl: string;
  /** POST here (with `csrfToken`) to remove this account from the session, when the acting account may. */
  unlinkUrl: string | null;
  /**
   * Past `reauthenticateAfter`: this account must sign in again before acting here, through this page (then
   * `switchUrl` is refused); null otherwise.
   */
  signInAgainUrl?: string | null;
}

export interface AccountSwitcherModel<User extends object = object> {
  /** The primary first (in standard mode: the signed-in user, as primary and current), then each linked account. */
  accounts: SwitcherAccount<User>[];
  /** Starts adding another account, or null when nobody is signed in. */
  addAccountUrl: string | null;
  /** The app's own sign-in page (`signInPath`): "Use another account" when nobody is signed in. */
  signInUrl: string;
  /** The app's own sign-out. */
  signOutUrl: string;
  /** POST: sign out of the acting account only; the others stay signed in. */
  signOutAccountUrl: string;
  /** POST: sign out of every account of this browser session. */
  signOutAllUrl: string;
  /** "Manage accounts": every browser the acting account is signed in on, to sign any of them out. */
  manageAccountsUrl?: string | null;
  /** Whether `switchUrl`s are per-tab links (GET) rather than session switches (POST). */
  perTab: boolean;
  /**
   * With `rememberAccounts` on: accounts signed out of in this browser, most recent first, to sign in again in
   * one click or forget. Listed even when nobody is signed in (then `accounts` is empty).
   */
  rememberedAccounts?: RememberedAccount<User>[];
  /** For forms that POST directly. */
  csrfToken: string;
}

export interface AccountSwitcherOptions {
  /**
   * With per-tab selection on, the page whose `/u/:index/…` copies the `switchUrl`s are (a `/u/:index` prefix of
   * it is dropped). Default: the page of this request.
   */
  page?: string;
}

/**
 * A template-agnostic view model of the account switcher; needs `loadMultiAccount` earlier in the request.
 * Loads the group's other accounts (one statement) the first time a request asks.
 */
export async function accountSwitcher<User extends object = object>(
  ctx: Context,
  { page = ctx.path }: AccountSwitcherOptions = {},
): Promise<AccountSwitcherModel<User>> {
  const loaded = accountsOf<User>(ctx);
  const members = await loaded.memberViews();
  const { options, pair, currentUser } = loaded;
  // An account signed in to be added, not linked yet, sees none of the group it may not switch to.
  const { currentInGroup } = await loaded.membership();
  const primaryUser = currentInGroup ? loaded.primaryUser : null;
  const idOf = (user: User) => String(userIdOf(pair, user));
  const currentId = currentUser === null ? undefined : idOf(currentUser);
  const primaryId = primaryUser ? idOf(primaryUser) : currentId;
  const shown: MemberView<User>[] = primaryUser
    ? members
    : currentUser
      ? [{ id: currentId!, fields: currentUser as Record<string, unknown>, user: currentUser }]
      : [];
  const perTab = options.accountSelector.pathPrefix && primaryUser !== null;
  const slots = perTab ? await loaded.tabSlots() : [];
  // In a `/u/N/…` tab the acting account is the tab's: the library's routes are reached through the tab.
  const viaTab = (path: string) => throughTab(options, loaded.selectedIndex, path);
  const actingIsPrimary = currentUser !== null && currentUser === primaryUser;
  const others = shown.filter(member => currentId === undefined || !sameUserId(member.id, currentId));
  const stale = await needingSignInAgain(loaded, others);
  // Signed in again, back to this page; from one of the library's own (the JSON endpoint), where a switch lands.
  const shownOn = withoutTabPrefix(page);
  const back = options.basePath !== '' && shownOn.startsWith(`${options.basePath}/`) ? undefined : shownOn;
  const accounts = shown.map((member, index): SwitcherAccount<User> => {
    const { id, fields } = member;
    const current = currentId !== undefined && sameUserId(id, currentId);
    return new LazySwitcherAccount(() => member.user, fields, {
      id,
      label: labelOf(fields, pair.user.options.displayFields, id),
      current,
      primary: sameUserId(id, primaryId!),
      switchUrl: perTab ? tabUrl(slots.indexOf(id), page) : options.urls.switchTo(id),
      unlinkUrl: primaryUser && index > 0 && (actingIsPrimary || current) ? options.urls.unlink(id) : null,
      signInAgainUrl: stale.has(id) ? viaTab(options.urls.signInAgain(id, back)) : null,
    });
  });
  // Always through the link route: only a sign-in it started joins the group (any other starts afresh).
  const addAccountUrl = currentId === undefined ? null : viaTab(options.urls.link(currentId));
  return {
    accounts,
    addAccountUrl,
    signInUrl: options.signInPath(ctx, null),
    signOutUrl: options.signOutPath(ctx),
    signOutAccountUrl: viaTab(options.urls.signOut()),
    signOutAllUrl: options.urls.signOutAll(),
    manageAccountsUrl: currentId === undefined ? null : viaTab(options.urls.devices()),
    perTab,
    rememberedAccounts: await rememberedAccounts(
      ctx,
      loaded,
      accounts.map(account => account.id),
      addAccountUrl,
    ),
    csrfToken: csrfToken(ctx),
  };
}

type AccountShown = Omit<SwitcherAccount, 'user' | 'fields'>;

// The class declares its fields through this interface: they are SwitcherAccount's.
// biome-ignore lint/correctness/noUnusedVariables: merged with the class below, which it gives its fields
interface LazySwitcherAccount<User extends object> extends AccountShown {}

class LazySwitcherAccount<User extends object> extends WithLazyUser<User> implements SwitcherAccount<User> {
  constructor(make: () => User, fields: Readonly<Record<string, unknown>>, account: AccountShown) {
    super(make, fields);
    this.id = account.id;
    this.label = account.label;
    this.current = account.current;
    this.primary = account.primary;
    this.switchUrl = account.switchUrl;
    this.unlinkUrl = account.unlinkUrl;
    this.signInAgainUrl = account.signInAgainUrl ?? null;
  }
}
