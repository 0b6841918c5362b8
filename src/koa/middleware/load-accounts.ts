import type { Middleware } from 'koa';
import { keepPrivate } from '../http/private-response.ts';
import { type MultiAccountKoaOptions, type ResolvedKoaOptions, resolveKoaOptions } from '../options.ts';
import type { AccountFallback } from '../session/request-accounts.ts';
import { accountsOf, RequestAccounts, type TabSelection } from '../session/request-accounts.ts';
import { refuseTab } from '../http/account-changed.ts';
import { selectedAccountIndex } from './account-selector.ts';
import { databaseFaultsAs503 } from './database-faults.ts';
import { checkAccountStateLimits } from '../session/account-state.ts';

/** What the loader puts on `ctx.state`. */
export interface MultiAccountState<User extends object = object> {
  /** The account acting now, or null when nobody is signed in. */
  currentUser: User | null;
  /** The account that started the multi-account session; null in standard (single-account) mode. */
  primaryUser: User | null;
  /** Set when the account that was acting could not go on (deactivated or deleted) and another took over. */
  multiAccountFallback?: AccountFallback;
}

/**
 * Middleware that sets `ctx.state.currentUser` and `ctx.state.primaryUser`, with display fields loaded, in one
 * SQL statement whatever the number of links — the check that this cookie is still its browser session's
 * current one rides along in that statement. Who else belongs to the group is loaded only when something
 * needs it: in that same statement when the URL tells (the JSON endpoint, per-tab selection), else by one more
 * when the switcher asks.
 */
export function loadMultiAccount<User extends object>(options: MultiAccountKoaOptions<User>): Middleware {
  return accountsLoader(resolveKoaOptions(options));
}

/** The loader for options resolved already (see `multiAccountKoa`). */
export function accountsLoader<User extends object>(options: ResolvedKoaOptions<User>): Middleware {
  const faultsAs503 = databaseFaultsAs503();
  return async function loadMultiAccount(ctx, next) {
    // Sign-ins and sign-outs the app makes its own way (passport's `ctx.login` / `ctx.logout`) count at once.
    options.identity.attach?.(ctx, {
      signedIn: () => accountsOf(ctx).adoptAppSignIn(),
      signedOut: () => accountsOf(ctx).end(),
    });
    const selected = selectedAccountIndex(ctx, options);
    let signedIn = false;
    let selection = { acting: true } as TabSelection;
    await faultsAs503(ctx, async () => {
      // Acting per tab needs the group: the loader's statement loads it.
      const accounts = await RequestAccounts.of(ctx, options, { group: selected !== undefined });
      if (selected !== undefined) selection = await accounts.select(selected);
      signedIn = accounts.currentUser !== null;
    });
    const refused = selection.acting ? undefined : selection;
    if (refused) return faultsAs503(ctx, () => refuseTab(ctx, refused.named, refused.signInAgain));
    await next();
    checkAccountStateLimits(ctx, options);
    if (options.cacheHeaders && (signedIn || accountsOf(ctx).currentUser !== null)) keepPrivate(ctx);
  };
}
