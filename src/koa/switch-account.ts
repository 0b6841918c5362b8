import type { Context } from 'koa';
import { userIdOf } from '../actions/arguments.ts';
import { moveSessionOn } from './browser-session.ts';
import { fireHook } from './hooks.ts';
import { groupMembers, groupMembership } from './group-membership.ts';
import { loadAccounts } from './load-multi-account.ts';
import type { ResolvedKoaOptions } from './options.ts';
import { renderConfirmationPage } from './pages.ts';
import { redirectLocal } from './redirect.ts';

/** GET `/switch_to/:userId`: a confirmation page that POSTs, so plain links in a switcher keep working. */
export function confirmSwitch(ctx: Context, options: ResolvedKoaOptions): void {
  const action = options.urls.switchTo(String(ctx.params.userId));
  renderConfirmationPage(ctx, { title: 'Switching account', question: 'Switch to another account of this browser?', action, button: 'Switch account' });
}

/**
 * POST `/switch_to/:userId`: acts as another account of this session's link group, without signing in again.
 * Both the current account and the target must belong to the group; the session id is renewed. Every target
 * outside the group gets the same answer, so the route tells nothing about other accounts.
 */
export async function switchToAccount(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const { sessionKeys: keys } = options;
  const after = () => options.afterSwitchPath(ctx);
  const loaded = await loadAccounts(ctx, options);
  const { pair, currentUser, primaryUser } = loaded;
  if (!currentUser) return redirectLocal(ctx, options.signInPath(ctx, null), 'SIGN_IN_TO_SWITCH', keys);
  if (!primaryUser) return redirectLocal(ctx, after(), 'NO_MULTI_ACCOUNT_SESSION', keys);

  const targetId = String(userIdOf(pair, ctx.params.userId));
  const { memberIds, currentInGroup } = await groupMembership(ctx);
  if (!memberIds.includes(targetId) || !currentInGroup) return redirectLocal(ctx, after(), 'SWITCH_NOT_AUTHORIZED', keys);

  const target = (await groupMembers(ctx)).find(member => String(userIdOf(pair, member)) === targetId);
  if (!target) return redirectLocal(ctx, after(), 'SWITCH_NOT_AUTHORIZED', keys);
  const from = String(userIdOf(pair, currentUser));
  await moveSessionOn(ctx, loaded, targetId, target);
  await fireHook(options.onSwitch, { ctx, who: from, whom: targetId, reason: 'switch' });
  redirectLocal(ctx, after(), 'SWITCHED', keys);
}
