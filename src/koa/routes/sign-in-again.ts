import type { Context } from 'koa';
import { mayComeFromAnotherSite } from '../http/navigation.ts';
import { renderConfirmationPage } from '../http/pages.ts';
import { safeLocalPath } from '../http/safe-redirect.ts';
import type { ResolvedKoaOptions } from '../options.ts';
import { loginHintFor } from '../session/freshness.ts';
import { RequestAccounts } from '../session/request-accounts.ts';
import { redirectWithMessage } from './respond.ts';

/**
 * GET and POST `/sign_in_again/:userId`: an account of this browser (the acting one, or one of its group) signs in
 * again — through the sign-in page with its `login_hint`, and back into the group through the link route, which
 * then returns to `return_to`. A navigation that may come from another site is asked to confirm first.
 */
export async function signInAgain(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const accounts = await RequestAccounts.of(ctx, options);
  const { currentUser, primaryUser } = accounts;
  if (!currentUser) return redirectWithMessage(ctx, accounts, options.signInPath(ctx, null), 'SIGN_IN_TO_SWITCH');
  const currentId = accounts.idOf(currentUser)!;
  const targetId = accounts.idOf(ctx.params.userId);
  const returnTo = safeLocalPath(ctx.query.return_to ?? options.afterSwitchPath(ctx));
  const member =
    targetId === currentId
      ? currentUser
      : (await accounts.membership()).currentInGroup &&
        (await accounts.memberViews()).find(view => view.id === targetId)?.user;
  if (!member || targetId === undefined) {
    return redirectWithMessage(ctx, accounts, options.afterSwitchPath(ctx), 'SWITCH_NOT_AUTHORIZED');
  }
  if (ctx.method !== 'POST' && mayComeFromAnotherSite(ctx)) {
    return renderConfirmationPage(ctx, {
      title: 'Sign in again',
      question: 'Sign in to this account again?',
      action: options.urls.signInAgain(targetId, returnTo),
      button: 'Sign in again',
      script: options.urls.confirmScript(),
    });
  }
  const primaryId = primaryUser ? accounts.idOf(primaryUser)! : currentId;
  accounts.startAdding(primaryId, currentId, { id: targetId, returnTo });
  redirectWithMessage(
    ctx,
    accounts,
    options.signInPath(ctx, primaryId, loginHintFor(options, member)),
    'SIGN_IN_AGAIN',
  );
}
