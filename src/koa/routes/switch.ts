import type { Context } from 'koa';
import { passesActiveCheck } from '../../actions/active-check.ts';
import { userIdOf } from '../../actions/arguments.ts';
import { findUsersById } from '../../actions/find-users.ts';
import { LinkedAccountActions } from '../../actions/linked-account-actions.ts';
import { moveSessionOn, settleMove } from '../session/browser-session.ts';
import { fireHook } from '../hooks.ts';
import { loadAccounts } from '../middleware/load-accounts.ts';
import type { ResolvedKoaOptions } from '../options.ts';
import { renderConfirmationPage } from '../http/pages.ts';
import { redirectLocal } from '../http/redirect.ts';

/** GET `/switch_to/:userId`: a confirmation page that POSTs, so plain links in a switcher keep working. */
export function confirmSwitch(ctx: Context, options: ResolvedKoaOptions): void {
  const action = options.urls.switchTo(String(ctx.params.userId));
  renderConfirmationPage(ctx, {
    title: 'Switching account',
    question: 'Switch to another account of this browser?',
    action,
    button: 'Switch account',
  });
}

/**
 * POST `/switch_to/:userId`: acts as another account of this session's link group, without signing in again.
 * Both the current account and the target must belong to the group, which the compare-and-set that moves the
 * session on checks in its own statement; the session id is renewed. Every target outside the group gets the
 * same answer, so the route tells nothing about other accounts.
 */
export async function switchToAccount(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const { sessionKeys: keys } = options;
  const after = () => options.afterSwitchPath(ctx);
  const loaded = await loadAccounts(ctx, options);
  const { pair, em, currentUser, primaryUser, sessionToken } = loaded;
  if (!currentUser) return redirectLocal(ctx, options.signInPath(ctx, null), 'SIGN_IN_TO_SWITCH', keys);
  if (!primaryUser || !sessionToken) return redirectLocal(ctx, after(), 'NO_MULTI_ACCOUNT_SESSION', keys);
  const refuse = () => redirectLocal(ctx, after(), 'SWITCH_NOT_AUTHORIZED', keys);

  const targetId = userIdOf(pair, ctx.params.userId);
  if (targetId === undefined) return refuse();
  // Loaded by the loader's statement when the loader and the routes share their options; otherwise here.
  const target = loaded.switchTarget ?? (await findUsersById(em, pair, [targetId])).get(String(targetId));
  if (!target || !passesActiveCheck(pair, target)) return refuse();
  const currentId = userIdOf(pair, currentUser)!;
  const { switchMove } = loaded;
  if (switchMove?.from === String(currentId) && switchMove.to === String(targetId)) {
    // The loader's statement ran this switch's compare-and-set already: settle it.
    if (!(await settleMove(ctx, loaded, switchMove.next, String(targetId), target, true))) return refuse();
  } else {
    const members = new LinkedAccountActions(em, pair).membersCondition(userIdOf(pair, primaryUser)!, sessionToken, [
      currentId,
      targetId,
    ]);
    if (!(await moveSessionOn(ctx, loaded, String(targetId), target, members))) return refuse();
  }
  await fireHook(options.onSwitch, { ctx, who: String(currentId), whom: String(targetId), reason: 'switch' });
  redirectLocal(ctx, after(), 'SWITCHED', keys);
}
