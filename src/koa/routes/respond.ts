import type { Context } from 'koa';
import { redirectLocal } from '../http/redirect.ts';
import type { FlashCode } from '../session/flash.ts';
import type { RequestAccounts } from '../session/request-accounts.ts';

/** Redirects to a local path only (anything else becomes `/`), leaving a message for the next page. */
export function redirectWithMessage(ctx: Context, accounts: RequestAccounts, target: string, code: FlashCode): void {
  accounts.leaveMessage(code);
  redirectLocal(ctx, target);
}
