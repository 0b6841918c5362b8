import type { Context } from 'koa';
import { passesActiveCheck } from '../../actions/active-check.ts';
import { sameUserId, userIdOf } from '../../actions/arguments.ts';
import { LinkedAccountActions } from '../../actions/linked-account-actions.ts';
import { isMultiAccountError } from '../../errors/multi-account-error.ts';
import { fireHook } from '../hooks.ts';
import { mayComeFromAnotherSite } from '../http/navigation.ts';
import { renderConfirmationPage } from '../http/pages.ts';
import type { ResolvedKoaOptions } from '../options.ts';
import type { FlashCode } from '../session/flash.ts';
import { addingOf } from '../session/adding.ts';
import { RequestAccounts } from '../session/request-accounts.ts';
import { sessionOf } from '../session/session-keys.ts';
import { tabSlots } from '../session/tab-slots.ts';
import { redirectWithMessage } from './respond.ts';
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
  const accounts = await RequestAccounts.of(ctx, options);
  const { pair, currentUser, primaryUser } = accounts;
  const redirect = (target: string, code: FlashCode) => redirectWithMessage(ctx, accounts, target, code);
  if (!currentUser) return redirect(options.signInPath(ctx, null), 'SIGN_IN_TO_LINK');

  const currentId = userIdOf(pair, currentUser)!;
  const requestedId = userIdOf(pair, ctx.params.primaryUserId);
  // "Sign in again" done: the account acts again, signed in just now; back to where it was asked for.
  const again = addingOf(sessionOf(ctx), options.sessionKeys)?.again;
  if (again?.done && again.id === String(currentId) && sameUserId(requestedId, accounts.addingTo)) {
    delete sessionOf(ctx)[options.sessionKeys.adding];
    return redirect(again.returnTo, 'SIGNED_IN_AGAIN');
  }
  const action = options.urls.link(String(requestedId));
  if (sameUserId(requestedId, currentId)) {
    if (ctx.method !== 'POST' && mayComeFromAnotherSite(ctx)) {
      return renderConfirmationPage(ctx, {
        title: 'Add an account',
        question: 'Add another account to this browser?',
        action,
        button: 'Add account',
        script: options.urls.confirmScript(),
      });
    }
    // An established group keeps its primary: adding from a linked account adds to the same group.
    const primaryId = primaryUser ? userIdOf(pair, primaryUser)! : currentId;
    accounts.startAdding(String(primaryId), String(currentId));
    return redirect(options.signInPath(ctx, String(primaryId), loginHintOf(ctx)), 'SIGN_IN_TO_ADD');
  }

  if (requestedId === undefined || !sameUserId(requestedId, accounts.addingTo)) {
    return redirect(options.afterLinkPath(ctx), 'LINK_NOT_STARTED');
  }
  if (ctx.method !== 'POST') {
    return renderConfirmationPage(ctx, {
      title: 'Linking account',
      question: "Link the account you just signed in with to this browser's accounts?",
      action,
      button: 'Link account',
      script: options.urls.confirmScript(),
      announce: 'link',
    });
  }

  // The link and the session's generation in one transaction: every older cookie of this browser stops acting.
  try {
    await accounts.moveWithGroupChange(String(currentId), currentUser, em =>
      new LinkedAccountActions(em, pair)
        .create({
          actor: requestedId,
          linkedUser: currentId,
          sessionToken: accounts.browserSession!.token,
        })
        .then(() => undefined),
    );
  } catch (error) {
    if (!isMultiAccountError(error)) throw error;
    if (error.code === 'ALREADY_LINKED') finishAdding(ctx, accounts, String(currentId));
    else await returnToStarter(ctx, accounts);
    return redirect(options.afterLinkPath(ctx), linkErrorMessages[error.code] ?? 'LINK_FAILED');
  }
  finishAdding(ctx, accounts, String(currentId));
  accounts.groupRefreshed();
  await fireHook(options.onLink, { ctx, who: String(requestedId), whom: String(currentId) });
  redirect(options.afterLinkPath(ctx), 'LINKED');
}

/** The account added has joined the group: it gets its `/u/N/` number, and adding is over. */
function finishAdding(ctx: Context, accounts: RequestAccounts, joined: string): void {
  const session = sessionOf(ctx);
  const keys = accounts.options.sessionKeys;
  delete session[keys.adding];
  const primaryId = accounts.idOf(accounts.primaryUser);
  if (primaryId !== undefined) tabSlots(session, keys, [primaryId, joined]);
}

/**
 * The account signed in to be added could not join (the group is full, the account inactive): the browser goes
 * back to the account that pressed "Add another account", the group as it was. Nothing when that one cannot act
 * any more: the loader's fallback decides on the next request.
 */
async function returnToStarter(ctx: Context, accounts: RequestAccounts): Promise<void> {
  const session = sessionOf(ctx);
  const fromId = addingOf(session, accounts.options.sessionKeys)?.from;
  delete session[accounts.options.sessionKeys.adding];
  const { pair, em, primaryUser, sessionToken } = accounts;
  const primaryId = userIdOf(pair, primaryUser);
  if (fromId === undefined || primaryId === undefined || !sessionToken) return;
  const from = (await accounts.memberViews()).find(view => view.id === fromId)?.user;
  if (!from || !passesActiveCheck(pair, from) || !(await accounts.appAccepts(from))) return;
  const members = new LinkedAccountActions(em, pair).membersCondition(primaryId, sessionToken, [fromId]);
  await accounts.moveTo(fromId, from, members);
}
