import type { Context } from 'koa';
import { passesActiveCheck } from '../../actions/active-check.ts';
import { findUsersById } from '../../actions/find-users.ts';
import { fireHook } from '../hooks.ts';
import { renderConfirmationPage } from '../http/pages.ts';
import type { ResolvedKoaOptions } from '../options.ts';
import { needingSignInAgain } from '../session/freshness.ts';
import { RequestAccounts } from '../session/request-accounts.ts';
import { redirectWithMessage } from './respond.ts';

/**
 * GET `/switch_to/:userId`: a confirmation page that POSTs, so plain links in a switcher keep working. Nobody
 * signed in has nothing to confirm: the sign-in page, and no session is started for a stranger.
 */
export async function confirmSwitch(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const accounts = await RequestAccounts.of(ctx, options);
  if (!accounts.currentUser) {
    return redirectWithMessage(ctx, accounts, options.signInPath(ctx, null), 'SIGN_IN_TO_SWITCH');
  }
  const action = options.urls.switchTo(String(ctx.params.userId));
  renderConfirmationPage(ctx, {
    title: 'Switching account',
    question: 'Switch to another account of this browser?',
    action,
    button: 'Switch account',
    script: options.urls.confirmScript(),
    announce: 'switch',
  });
}

/**
 * POST `/switch_to/:userId`: acts as another account of this session's link group, without signing in again.
 * Both the current account and the target must belong to the group, which the compare-and-set that moves the
 * session on checks in its own statement; the session id is renewed. Every target outside the group gets the
 * same answer, so the route tells nothing about other accounts.
 */
export async function switchToAccount(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const accounts = await RequestAccounts.of(ctx, options);
  const { pair, em, currentUser, primaryUser, sessionToken } = accounts;
  const after = () => options.afterSwitchPath(ctx);
  const refuse = () => redirectWithMessage(ctx, accounts, after(), 'SWITCH_NOT_AUTHORIZED');
  if (!currentUser) return redirectWithMessage(ctx, accounts, options.signInPath(ctx, null), 'SIGN_IN_TO_SWITCH');
  if (!primaryUser || !sessionToken) return redirectWithMessage(ctx, accounts, after(), 'NO_MULTI_ACCOUNT_SESSION');

  const targetId = accounts.idOf(ctx.params.userId);
  if (targetId === undefined) return refuse();
  // Loaded by the loader's statement when the loader and the routes share their options; otherwise here.
  const target = accounts.switchTarget ?? (await findUsersById(em, pair, [targetId])).get(targetId);
  if (!target || !passesActiveCheck(pair, target) || !(await accounts.appAccepts(target))) return refuse();
  const currentId = accounts.idOf(currentUser)!;
  // Past `reauthenticateAfter`, a member of the group must sign in again first (anyone else: refused as before).
  if (
    (await needingSignInAgain(accounts, [{ id: targetId, user: target }])).has(targetId) &&
    (await accounts.membership()).memberIds.includes(targetId)
  ) {
    return redirectWithMessage(ctx, accounts, after(), 'SIGN_IN_AGAIN_TO_SWITCH');
  }
  if (!(await accounts.switchTo(targetId, target))) return refuse();
  await fireHook(options.onSwitch, { ctx, who: currentId, whom: targetId, reason: 'switch' });
  redirectWithMessage(ctx, accounts, after(), 'SWITCHED');
}
