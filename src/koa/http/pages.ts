import escapeHtml from 'escape-html';
import type { Context } from 'koa';
import { csrfToken } from '../session/intent.ts';
import { refuseFraming } from './framing.ts';
import { mayComeFromAnotherSite } from './navigation.ts';

/**
 * A minimal page whose form POSTs to `action` with a CSRF token. When the navigation came from this very
 * site (a switcher's link, the link flow's redirect) it submits itself, with the app's CSP nonce from
 * `ctx.state.cspNonce` if it sets one; from anywhere else — another site's link or script, a bookmark — the
 * person must press the button, so no other site can change an account by navigating here.
 * `announce`: the change the script tells the browser's other tabs about as it submits (`data-mma-change`, read by
 * tab-notice.js).
 */
export function renderConfirmationPage(
  ctx: Context,
  page: {
    title: string;
    question: string;
    action: string;
    button: string;
    script: string;
    announce?: 'link' | 'switch';
  },
): void {
  const autoSubmit = !mayComeFromAnotherSite(ctx);
  const nonce = typeof ctx.state.cspNonce === 'string' ? ` nonce="${escapeHtml(ctx.state.cspNonce)}"` : '';
  const button = `<button type="submit">${escapeHtml(page.button)}</button>`;
  const asked = `<p>${escapeHtml(page.question)}</p>\n${button}`;
  const change = page.announce ? ` data-mma-change="${page.announce}"` : '';
  ctx.type = 'html';
  ctx.set('cache-control', 'no-store');
  refuseFraming(ctx);
  ctx.body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">\
<title>${escapeHtml(page.title)}</title></head>
<body>
<form id="mma-confirm" method="post" action="${escapeHtml(page.action)}"${change}>
<input type="hidden" name="_csrf" value="${escapeHtml(csrfToken(ctx))}">
${autoSubmit ? `<p>${escapeHtml(page.title)}…</p>\n<noscript>${button}</noscript>` : asked}
</form>
${autoSubmit ? `<script type="module" src="${escapeHtml(page.script)}"${nonce}></script>\n` : ''}</body></html>`;
}
