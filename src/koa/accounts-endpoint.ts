import type { Context } from 'koa';
import { accountSwitcher } from './account-switcher.ts';
import { loadAccounts } from './load-multi-account.ts';
import type { ResolvedKoaOptions } from './options.ts';
import { httpMessages } from '../errors/http-messages.ts';

/**
 * GET `/accounts`: the switcher as JSON for single-page apps, with a CSRF token for their POSTs;
 * 401 when nobody is signed in.
 */
export async function accountsEndpoint(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const { pair, currentUser, primaryUser } = await loadAccounts(ctx, options);
  ctx.set('cache-control', 'no-store');
  if (!currentUser) {
    ctx.status = 401;
    ctx.body = { error: httpMessages.NOT_SIGNED_IN };
    return;
  }
  const displayFields = pair.user.options.displayFields;
  const summary = (user: object) => ({
    ...Object.fromEntries(displayFields.map(field => [field, (user as Record<string, unknown>)[field] ?? null])),
    id: String((user as Record<string, unknown>)[pair.user.primaryKey]),
  });
  const model = await accountSwitcher(ctx);
  ctx.body = {
    currentUser: summary(currentUser),
    primaryUser: primaryUser ? summary(primaryUser) : null,
    accounts: model.accounts.map(account => ({
      ...summary(account.user),
      current: account.current,
      primary: account.primary,
      switchUrl: account.switchUrl,
      unlinkUrl: account.unlinkUrl,
    })),
    addAccountUrl: model.addAccountUrl,
    signOutAccountUrl: model.signOutAccountUrl,
    signOutAllUrl: model.signOutAllUrl,
    csrfToken: model.csrfToken,
  };
}
