import type { Context } from 'koa';
import { LinkedAccountActions } from '../../actions/linked-account-actions.ts';
import { fireHook } from '../hooks.ts';
import type { ResolvedKoaOptions } from '../options.ts';
import { RequestAccounts } from '../session/request-accounts.ts';
import { redirectWithMessage } from './respond.ts';

/** POST `/sign_out_all`: ends the session and deletes the group's links. */
export async function signOutOfAll(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const accounts = await RequestAccounts.of(ctx, options);
  const { pair, currentUser, primaryUser, sessionToken } = accounts;
  if (primaryUser && sessionToken) {
    await new LinkedAccountActions(accounts.em, pair).destroyGroup(primaryUser, sessionToken);
  }
  await accounts.end();
  if (currentUser) {
    await fireHook(options.onSignOut, { ctx, who: accounts.idOf(currentUser)!, whom: null, scope: 'all' });
  }
  redirectWithMessage(ctx, accounts, options.signInPath(ctx, null), 'SIGNED_OUT_ALL');
}
