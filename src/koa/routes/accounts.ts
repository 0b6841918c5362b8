import type { Context } from 'koa';
import { withoutTabPrefix } from '../middleware/account-selector.ts';
import { RequestAccounts } from '../session/request-accounts.ts';
import type { ResolvedKoaOptions } from '../options.ts';
import { safeLocalPath } from '../http/safe-redirect.ts';
import { accountSwitcher } from '../switcher/model.ts';
import { httpMessages } from '../../errors/http-messages.ts';

/**
 * GET `/accounts`: the switcher as JSON for single-page apps, with a CSRF token for their POSTs;
 * 401 when nobody is signed in. With per-tab selection on, the `switchUrl`s are `/u/:index/…` copies of the page
 * the `page` query parameter names, or else of `afterSwitchPath` — never of this endpoint itself.
 */
export async function accountsEndpoint(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const accounts = await RequestAccounts.of(ctx, options);
  const { pair, currentUser } = accounts;
  ctx.set('cache-control', 'no-store');
  if (!currentUser) {
    ctx.status = 401;
    ctx.body = { error: httpMessages.NOT_SIGNED_IN };
    return;
  }
  const displayFields = pair.user.options.displayFields;
  const summary = (fields: Readonly<Record<string, unknown>>) => ({
    ...Object.fromEntries(displayFields.map(field => [field, fields[field] ?? null])),
    id: String(fields[pair.user.primaryKey]),
  });
  // Only per-tab `switchUrl`s lead to a page; without per-tab selection there is none to work out.
  const model = await accountSwitcher(
    ctx,
    options.accountSelector.pathPrefix ? { page: pageShowingTheSwitcher(ctx, options) } : {},
  );
  const primary = (await accounts.membership()).currentInGroup ? accounts.primaryUser : null;
  ctx.body = {
    currentUser: summary(currentUser as Record<string, unknown>),
    // Never an account the acting one cannot switch to (one signed in to be added, before the link).
    primaryUser: primary ? summary(primary as Record<string, unknown>) : null,
    accounts: model.accounts.map(account => ({
      ...summary(account.fields),
      current: account.current,
      primary: account.primary,
      switchUrl: account.switchUrl,
      unlinkUrl: account.unlinkUrl,
      signInAgainUrl: account.signInAgainUrl ?? null,
    })),
    displayFields, // in order: the first with a value is an account's label
    perTab: model.perTab,
    rememberedAccounts: (model.rememberedAccounts ?? []).map(account => ({
      ...summary(account.fields),
      signInUrl: account.signInUrl,
      forgetUrl: account.forgetUrl,
    })),
    addAccountUrl: model.addAccountUrl,
    signOutAccountUrl: model.signOutAccountUrl,
    signOutAllUrl: model.signOutAllUrl,
    manageAccountsUrl: model.manageAccountsUrl,
    csrfToken: model.csrfToken,
  };
}

/**
 * The page a single-page app shows the switcher on: a local `page` query parameter, else where a switch lands;
 * never one of the library's own routes.
 */
function pageShowingTheSwitcher(ctx: Context, options: ResolvedKoaOptions): string {
  const requested = safeLocalPath(ctx.query.page, '');
  const page = withoutTabPrefix(requested !== '' ? requested : safeLocalPath(options.afterSwitchPath(ctx)));
  const pathname = page.split(/[?#]/, 1)[0]!;
  const ours =
    options.basePath !== '' && (pathname === options.basePath || pathname.startsWith(`${options.basePath}/`));
  return ours ? '/' : page;
}
