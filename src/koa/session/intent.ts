import type { Context } from 'koa';
import { type CsrfTokenReading, mintCsrfToken } from './csrf-tokens.ts';
import { accountsIfLoaded, type RequestAccounts } from './request-accounts.ts';

/**
 * A CSRF token for forms (`_csrf` field) or fetch calls (`x-csrf-token` header), made for the account acting in
 * this request (in a `/u/N/` tab, the tab's): a request that carries it changes something only while that account
 * still acts (see `requireCsrfToken`).
 */
export function csrfToken(ctx: Context): string {
  const accounts = accountsIfLoaded(ctx);
  return mintCsrfToken(ctx, accounts?.idOf(accounts.currentUser));
}

/**
 * The account a request was made for, when its token names one and another acts now: a page rendered before a
 * switch in another tab, a tab whose index names someone else now. Undefined when the request may go on.
 */
export function staleIntent(
  accounts: RequestAccounts | undefined,
  reading: CsrfTokenReading,
): { intended: string; accounts: RequestAccounts } | undefined {
  if (!accounts || reading.account === undefined) return undefined;
  return reading.account === accounts.idOf(accounts.currentUser) ? undefined : { intended: reading.account, accounts };
}
