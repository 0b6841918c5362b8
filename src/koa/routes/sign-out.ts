import type { Context } from 'koa';
import { LinkedAccountActions } from '../../actions/linked-account-actions.ts';
import { fireHook } from '../hooks.ts';
import { withoutTabPrefix } from '../middleware/account-selector.ts';
import type { ResolvedKoaOptions } from '../options.ts';
import { forgetAccountState } from '../session/account-state.ts';
import { rememberAccounts } from '../session/remembered-accounts.ts';
import { RequestAccounts } from '../session/request-accounts.ts';
import { redirectWithMessage } from './respond.ts';

/**
 * POST `/sign_out`: the acting account (a `/u/N/` tab's) leaves. A linked account hands over to the primary; the
 * primary hands the group over to its oldest linked account; the last one leaving ends the session.
 */
export async function signOutOfAccount(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const accounts = await RequestAccounts.of(ctx, options);
  const { currentUser, primaryUser } = accounts;
  const signInPage = options.signInPath(ctx, null);
  if (!currentUser) return redirectWithMessage(ctx, accounts, signInPage, 'SIGNED_OUT');
  const { links, memberIds } = await accounts.membership();
  const leaving = accounts.idOf(currentUser)!;
  const primaryId = accounts.idOf(primaryUser);
  const heirId = primaryUser && leaving === primaryId ? memberIds[1] : primaryId;
  const heir = heirId === undefined ? undefined : (await accounts.memberViews()).find(view => view.id === heirId)?.user;
  if (options.rememberAccounts) rememberAccounts(ctx, options.rememberAccounts, [leaving]);
  if (!heir) {
    await accounts.end();
    await fireHook(options.onSignOut, { ctx, who: leaving, whom: null, scope: 'account' });
    return redirectWithMessage(ctx, accounts, signInPage, 'SIGNED_OUT');
  }
  // From a `/u/N/…` tab, the account the session acts as stays acting, unless it is the one leaving.
  const staying = accounts.sessionUser;
  const acting = staying && accounts.idOf(staying) !== leaving ? staying : heir;
  const next = accounts.idOf(acting)!;
  if (leaving === primaryId) await accounts.handOverGroup(heirId!, heir, { id: next, user: acting });
  else {
    const link = links.find(candidate => String(candidate.linkedUserId) === leaving);
    await accounts.moveWithGroupChange(next, acting, async em => {
      if (link) await new LinkedAccountActions(em, accounts.pair).destroy(link.id, { actor: currentUser });
    });
  }
  forgetAccountState(ctx, options.sessionKeys, leaving);
  await fireHook(options.onSignOut, { ctx, who: leaving, whom: next, scope: 'account' });
  if (next !== accounts.idOf(staying)) {
    // The session's acting account changed: from the one that left.
    await fireHook(options.onSwitch, { ctx, who: leaving, whom: next, reason: 'sign_out' });
  }
  // From a `/u/N/…` tab, back to the page as the session's account: the tab's index may name nobody now.
  const after = options.afterSwitchPath(ctx);
  const target = accounts.selectedIndex === undefined ? after : withoutTabPrefix(after);
  redirectWithMessage(ctx, accounts, target, 'SIGNED_OUT_ACCOUNT');
}
