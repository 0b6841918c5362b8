import escapeHtml from 'escape-html';
import type { AccountBrowserSession } from '../../actions/account-sessions.ts';
import type { Flash } from '../session/flash.ts';

export interface DevicesPage {
  account: string;
  sessions: AccountBrowserSession[];
  csrfToken: string;
  signOutUrl(id: string): string;
  signOutOthersUrl: string;
  flash?: Flash;
}

const roles = { only: [], primary: ['with other accounts'], linked: ["in another account's group"] };

/** When, as a person reads it: the date and time in UTC, to the minute. */
const when = (date: Date | null) => (date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'unknown');

/**
 * `GET <basePath>/devices` as HTML: every browser the account is signed in on, this one marked, each other one with
 * a button that signs it out, and one for all of them. No script and no style of its own: it works under any CSP.
 */
export function renderDevicesPage(page: DevicesPage): string {
  const token = `<input type="hidden" name="_csrf" value="${escapeHtml(page.csrfToken)}">`;
  const items = page.sessions.map(session => {
    const facts = [
      `signed in ${when(session.signedInAt)}`,
      ...roles[session.role],
      `last used ${when(session.lastUsedAt)}`,
      ...(session.ipAddress ? [`from ${session.ipAddress}`] : []),
    ];
    const action = session.current
      ? '<strong>This browser</strong>'
      : `<form method="post" action="${escapeHtml(page.signOutUrl(session.id))}">${token}\
<button type="submit">Sign out</button></form>`;
    return `<li data-device="${escapeHtml(session.id)}"><b>${escapeHtml(session.device ?? 'Unknown browser')}</b> \
— ${escapeHtml(facts.join(', '))} ${action}</li>`;
  });
  const others = page.sessions.some(session => !session.current)
    ? `<form method="post" action="${escapeHtml(page.signOutOthersUrl)}">${token}\
<button type="submit">Sign out everywhere else</button></form>`
    : '';
  const flash = page.flash ? `<p role="status">${escapeHtml(page.flash.message)}</p>\n` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">\
<title>Your devices</title></head>
<body>
<h1>Where ${escapeHtml(page.account)} is signed in</h1>
${flash}<ul>
${items.join('\n')}
</ul>
${others}
</body></html>`;
}
