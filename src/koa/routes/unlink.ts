import type { Context } from 'koa';
import { sameUserId, userIdOf } from '../../actions/arguments.ts';
import { LinkedAccountActions } from '../../actions/linked-account-actions.ts';
import { fireHook } from '../hooks.ts';
import type { ResolvedKoaOptions } from '../options.ts';
import { forgetAccountState } from '../session/account-state.ts';
import { forgetAccount } from '../session/remembered-accounts.ts';
import { RequestAccounts } from '../session/request-accounts.ts';
import { redirectWithMessage } from './respond.ts';

/**
 * POST `/unlink/:userId`: removes a linked account from this session's group. The primary may remove any of
 * them, a linked account only itself; removing the account the session acts as falls back to the primary.
 */
export async function unlinkAccount(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const accounts = await RequestAccounts.of(ctx, options);
  const { pair, currentUser, primaryUser } = accounts;
  const after = options.afterSwitchPath(ctx);
  const refuse = (code: Parameters<typeof redirectWithMessage>[3], target = after) =>
    redirectWithMessage(ctx, accounts, target, code);
  if (!currentUser) return refuse('SIGN_IN_TO_SWITCH', options.signInPath(ctx, null));
  if (!primaryUser) return refuse('NO_MULTI_ACCOUNT_SESSION');
  const idOf = (user: unknown) => userIdOf(pair, user);
  const { links, currentInGroup } = await accounts.membership();
  const targetId = idOf(ctx.params.userId);
  const link = links.find(candidate => sameUserId(candidate.linkedUserId, targetId));
  if (!link) return refuse('UNLINK_NOT_FOUND');
  const actorIsPrimary = sameUserId(idOf(currentUser), idOf(primaryUser));
  const actorIsTarget = sameUserId(idOf(currentUser), targetId);
  if (!currentInGroup || (!actorIsPrimary && !actorIsTarget)) return refuse('UNLINK_NOT_AUTHORIZED');

  // The account the session acts as stays acting (from a `/u/N/` tab too), unless it is the one removed.
  const staying = accounts.sessionUser!;
  const acting = sameUserId(idOf(staying), targetId) ? primaryUser : staying;
  await accounts.moveWithGroupChange(String(idOf(acting)), acting, em =>
    new LinkedAccountActions(em, pair).destroy(link.id, { actor: currentUser }),
  );
  // Removed from this browser: not listed as signed out either, and what the app kept for it goes.
  if (options.rememberAccounts) forgetAccount(ctx, options.rememberAccounts, String(targetId));
  forgetAccountState(ctx, options.sessionKeys, String(targetId));
  await fireHook(options.onUnlink, { ctx, who: String(idOf(currentUser)), whom: String(targetId) });
  if (acting !== staying) {
    const event = { ctx, who: String(targetId), whom: String(idOf(primaryUser)), reason: 'unlink' as const };
    await fireHook(options.onSwitch, event);
  }
  redirectWithMessage(ctx, accounts, after, 'UNLINKED');
}
