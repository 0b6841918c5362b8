import type { Context, Middleware } from 'koa';
import { refuseAccountChanged } from '../http/account-changed.ts';
import { bodyField } from '../http/body-field.ts';
import { staleIntent } from '../session/intent.ts';
import { accountsIfLoaded } from '../session/request-accounts.ts';

const fieldName = '_account';
const headerName = 'x-account-id';

/**
 * For apps with a CSRF library of their own: the hidden field a form adds (or, as `x-account-id`, the header a
 * fetch sends) to say which account the page was made for — the one acting in this request (in a `/u/N/` tab,
 * the tab's). `requireIntendedAccount()` checks it.
 */
export function intendedAccountField(ctx: Context): { name: string; value: string } {
  const accounts = accountsIfLoaded(ctx);
  return { name: fieldName, value: accounts?.idOf(accounts.currentUser) ?? '' };
}

/**
 * Refuses (409, naming both accounts, changing nothing) a request whose `_account` field or `x-account-id` header
 * names another account than the one acting now. Mount it after the loader, on the routes that change something.
 */
export function requireIntendedAccount(): Middleware {
  return async (ctx, next) => {
    const named = ctx.get(headerName) || (await bodyField(ctx, fieldName));
    if (typeof named === 'string' && named !== '') {
      const stale = staleIntent(accountsIfLoaded(ctx), { account: named });
      if (stale) return refuseAccountChanged(ctx, stale.accounts, stale.intended);
    }
    await next();
  };
}
