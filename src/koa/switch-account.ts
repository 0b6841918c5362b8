import type { Context } from 'koa';
import { userIdOf } from '../actions/arguments.ts';
import { passesActiveCheck } from '../actions/active-check.ts';
import { groupMembership, loadAccounts } from './load-multi-account.ts';
import type { ResolvedKoaOptions } from './options.ts';
import { renderAutoSubmitPage } from './pages.ts';
import { redirectLocal } from './redirect.ts';
import { actAs } from './act-as.ts';
import { fireHook } from './hooks.ts';

/** GET `/switch_to/:userId`: a confirmation page that POSTs, so plain links in a switcher keep working. */
export function confirmSwitch(ctx: Context, options: ResolvedKoaOptions): void {
  renderAutoSubmitPage(ctx, { title: 'Switching account', action: options.urls.switchTo(String(ctx.params.userId)), button: 'Switch account' });
}

/**
 * POST `/switch_to/:userId`: acts as another account of this session's link group, without signing in again.
 * Both the current account and the target must belong to the group; the session id is renewed.
 */
export async function switchToAccount(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const { sessionKeys: keys } = options;
  const after = () => options.afterSwitchPath(ctx);
  const { pair, em, currentUser, primaryUser } = await loadAccounts(ctx, options);
  if (!currentUser) return redirectLocal(ctx, options.signInPath(ctx, null), 'SIGN_IN_TO_SWITCH', keys);
  if (!primaryUser) return redirectLocal(ctx, after(), 'NO_MULTI_ACCOUNT_SESSION', keys);

  const targetId = userIdOf(pair, ctx.params.userId);
  if (targetId === undefined) return redirectLocal(ctx, after(), 'TARGET_NOT_FOUND', keys);
  const { memberIds, currentInGroup } = await groupMembership(ctx);
  if (!memberIds.includes(String(targetId))) {
    // Only to tell the person why: the group query already left out missing and inactive accounts.
    const target = await em.findOne(pair.user.meta.class, { [pair.user.primaryKey]: targetId } as never);
    if (!target) return redirectLocal(ctx, after(), 'TARGET_NOT_FOUND', keys);
    if (!passesActiveCheck(pair, target)) return redirectLocal(ctx, after(), 'TARGET_INACTIVE', keys);
    return redirectLocal(ctx, after(), 'SWITCH_NOT_AUTHORIZED', keys);
  }
  if (!currentInGroup) return redirectLocal(ctx, after(), 'SWITCH_NOT_AUTHORIZED', keys);

  await actAs(ctx, String(targetId), keys);
  await fireHook(options.onSwitch, { ctx, who: String(userIdOf(pair, currentUser)), whom: String(targetId), reason: 'switch' });
  redirectLocal(ctx, after(), 'SWITCHED', keys);
}
