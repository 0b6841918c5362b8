import escapeHtml from 'escape-html';
import type { Context } from 'koa';
import { httpMessages } from '../../errors/http-messages.ts';
import { csrfToken } from '../session/intent.ts';
import { findUsersById } from '../../actions/find-users.ts';
import { withoutTabPrefix } from '../middleware/account-selector.ts';
import { accountsOf, type RequestAccounts } from '../session/request-accounts.ts';
import { labelOf } from '../switcher/markup.js';
import { refuseFraming } from './framing.ts';
import { localRefererPath, safeLocalPath } from './safe-redirect.ts';

/**
 * 409 for a request made for `intended` while another account acts now (a form rendered before a switch in
 * another tab): nothing was changed, and the answer says so, naming both, with a way back to the intended
 * account when it is still one of this browser's, and a way on as the one acting. HTML for a person, JSON when
 * asked. It writes nothing into the session.
 */
export async function refuseAccountChanged(
  ctx: Context,
  accounts: RequestAccounts,
  intended: string,
  { tabGone = false } = {},
): Promise<void> {
  const { options, pair, em, currentUser } = accounts;
  const displayFields = pair.user.options.displayFields;
  const summary = (id: string, fields: Readonly<Record<string, unknown>>) => ({
    id,
    label: labelOf(fields, displayFields, id),
  });
  const member = (await accounts.memberViews()).find(view => view.id === intended);
  // Not in the group any more (signed out in another tab): named all the same, the token or tab says whom.
  const gone = member ? undefined : (await findUsersById(em, pair, [intended])).get(intended);
  const intendedAccount = member
    ? summary(member.id, member.fields)
    : gone
      ? summary(intended, gone as Record<string, unknown>)
      : null;
  const currentId = accounts.idOf(currentUser);
  const currentAccount = currentId === undefined ? null : summary(currentId, currentUser as Record<string, unknown>);
  const switchBackUrl = member && currentAccount ? options.urls.switchTo(member.id) : null;
  // From a `/u/N/` tab whose account is gone, on as the session's account: the page without the prefix.
  const referer = localRefererPath(ctx.get('referer'), `${ctx.protocol}://${ctx.host}`);
  const continueUrl = tabGone ? withoutTabPrefix(referer) : referer;
  ctx.status = 409;
  ctx.set('cache-control', 'no-store');
  refuseFraming(ctx);
  if (ctx.accepts('html', 'json') === 'json') {
    const token = switchBackUrl ? csrfToken(ctx) : null;
    ctx.body = {
      error: httpMessages.ACCOUNT_CHANGED,
      intendedAccount,
      currentAccount,
      switchBackUrl,
      csrfToken: token,
    };
    return;
  }
  const made = intendedAccount ? `for ${escapeHtml(intendedAccount.label)}` : 'for another account';
  const now = currentAccount ? `${escapeHtml(currentAccount.label)} is signed in now` : 'nobody is signed in now';
  const back = switchBackUrl
    ? `<form method="post" action="${escapeHtml(switchBackUrl)}">` +
      `<input type="hidden" name="_csrf" value="${escapeHtml(csrfToken(ctx))}">` +
      `<button type="submit">Switch back to ${escapeHtml(intendedAccount!.label)}</button></form>\n`
    : '';
  const onward = currentAccount ? `Continue as ${escapeHtml(currentAccount.label)}` : 'Continue';
  ctx.type = 'html';
  ctx.body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">\\
<title>Account changed</title></head>
<body>
<h1>Account changed</h1>
<p>This page was made ${made}, and ${now} (${member ? 'switched' : 'signed out'} in another tab or window).
Nothing was changed.</p>
${back}<p><a href="${escapeHtml(continueUrl)}">${onward}</a></p>
</body></html>`;
}

/**
 * A `/u/N/` (or header-selected) request whose number no longer names an account that may act here: 404 for a
 * page, and for a change 409 naming the account the tab was on — never another account in its place.
 */
export async function refuseTab(ctx: Context, named: string | undefined, signInAgain = false): Promise<void> {
  if (signInAgain && named !== undefined) return askToSignInAgain(ctx, named);
  if (named === undefined || ['GET', 'HEAD', 'OPTIONS'].includes(ctx.method)) {
    ctx.throw(404, httpMessages.ACCOUNT_INDEX_UNKNOWN);
  }
  await refuseAccountChanged(ctx, accountsOf(ctx), named, { tabGone: true });
}

/**
 * A tab of an account past `reauthenticateAfter`: a page load goes to sign in to it again, then back to this page;
 * anything else is refused (403), changing nothing.
 */
function askToSignInAgain(ctx: Context, named: string): void {
  const { options } = accountsOf(ctx);
  const page = ctx.method === 'GET' || ctx.method === 'HEAD';
  // Back to this page; from a form, to the page it was sent from (where a switch lands).
  const back = page ? ctx.originalUrl : safeLocalPath(options.afterSwitchPath(ctx));
  const url = options.urls.signInAgain(named, back);
  ctx.set('cache-control', 'no-store');
  if (page) {
    ctx.redirect(url);
    return;
  }
  ctx.status = 403;
  ctx.body = { error: httpMessages.SIGN_IN_AGAIN, signInAgainUrl: url };
}
