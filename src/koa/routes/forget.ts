import type { Context } from 'koa';
import type { ResolvedKoaOptions } from '../options.ts';
import { forgetAccount } from '../session/remembered-accounts.ts';
import { RequestAccounts } from '../session/request-accounts.ts';
import { redirectWithMessage } from './respond.ts';

/** POST `/forget/:userId`: a remembered account is no longer listed in this browser (see `rememberAccounts`). */
export async function forgetRememberedAccount(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  if (!options.rememberAccounts) return; // off: no such route
  const accounts = await RequestAccounts.of(ctx, options);
  const forgotten = forgetAccount(ctx, options.rememberAccounts, String(ctx.params.userId));
  redirectWithMessage(ctx, accounts, options.afterSwitchPath(ctx), forgotten ? 'FORGOTTEN' : 'FORGET_NOT_FOUND');
}
