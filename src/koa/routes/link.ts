import type { Context } from 'koa';
import { sameUserId, userIdOf } from '../../actions/arguments.ts';
import { LinkedAccountActions } from '../../actions/linked-account-actions.ts';
import { isMultiAccountError } from '../../errors/multi-account-error.ts';
import { moveSessionOn } from '../session/browser-session.ts';
import { fireHook } from '../hooks.ts';
import { loadAccounts } from '../middleware/load-accounts.ts';
import type { FlashCode } from '../session/flash.ts';
import { mayComeFromAnotherSite } from '../http/navigation.ts';
import type { ResolvedKoaOptions } from '../options.ts';
import { renderConfirmationPage } from '../http/pages.ts';
import { redirectLocal } from '../http/redirect.ts';
import { sessionOf } from '../session/session-keys.ts';

const linkErrorMessages: Partial<Record<string, FlashCode>> = {
  ALREADY_LINKED: 'ALREADY_LINKED',
  MAX_LINKED_ACCOUNTS: 'MAX_LINKED_ACCOUNTS',
  INACTIVE_USER: 'LINK_INACTIVE',
};

/** A remembered account's hint for the sign-in form (`?login_hint=`), passed on as it came: the page escapes it. */
function loginHintOf(ctx: Context): string | undefined {
  const hint = ctx.query.login_hint;
  return typeof hint === 'string' && hint !== '' && hint.length <= 320 ? hint : undefined;
}

/**
 * GET and POST `/p/:primaryUserId`. Signed in as that primary: remember it and send the browser to sign in
 * with the account to add. Signed in as another account afterwards: confirm (GET) and create the link (POST) —
 * but only for the primary this very session set up, so nobody can link themselves into someone else's group.
 * A GET that may come from another site only shows what it would do.
 */
export async function linkAccount(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const { sessionKeys: keys } = options;
  const loaded = await loadAccounts(ctx, options);
  const { pair, currentUser, primaryUser } = loaded;
  if (!currentUser) return redirectLocal(ctx, options.signInPath(ctx, null), 'SIGN_IN_TO_LINK', keys);

  const session = sessionOf(ctx);
  const currentId = userIdOf(pair, currentUser)!;
  const requestedId = userIdOf(pair, ctx.params.primaryUserId);
  const action = options.urls.link(String(requestedId));
  if (sameUserId(requestedId, currentId)) {
    if (ctx.method !== 'POST' && mayComeFromAnotherSite(ctx)) {
      return renderConfirmationPage(ctx, {
        title: 'Add an account',
        question: 'Add another account to this browser?',
        action,
        button: 'Add account',
      });
    }
    // An established group keeps its primary: adding from a linked account adds to the same group.
    const primaryId = primaryUser ? userIdOf(pair, primaryUser)! : currentId;
    session[keys.primaryUserId] = String(primaryId);
    return redirectLocal(ctx, options.signInPath(ctx, String(primaryId), loginHintOf(ctx)), 'SIGN_IN_TO_ADD', keys);
  }

  const sessionPrimary = userIdOf(pair, session[keys.primaryUserId]);
  if (requestedId === undefined || !sameUserId(requestedId, sessionPrimary)) {
    return redirectLocal(ctx, options.afterLinkPath(ctx), 'LINK_NOT_STARTED', keys);
  }
  if (ctx.method !== 'POST') {
    return renderConfirmationPage(ctx, {
      title: 'Linking account',
      question: "Link the account you just signed in with to this browser's accounts?",
      action,
      button: 'Link account',
    });
  }

  // The group changes: every older cookie of this browser session stops acting, whatever comes of the link.
  await moveSessionOn(ctx, loaded, String(currentId), currentUser);
  try {
    await new LinkedAccountActions(loaded.em, pair).create({
      actor: requestedId,
      linkedUser: currentId,
      sessionToken: loaded.browserSession!.token,
    });
  } catch (error) {
    if (!isMultiAccountError(error)) throw error;
    return redirectLocal(ctx, options.afterLinkPath(ctx), linkErrorMessages[error.code] ?? 'LINK_FAILED', keys);
  }
  // The new link is fresh: the group needs no keep-alive touch for the next hour.
  session[keys.touchedAt] = Date.now();
  await fireHook(options.onLink, { ctx, who: String(requestedId), whom: String(currentId) });
  redirectLocal(ctx, options.afterLinkPath(ctx), 'LINKED', keys);
}
