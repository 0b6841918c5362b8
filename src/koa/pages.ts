import escapeHtml from 'escape-html';
import type { Context } from 'koa';
import { csrfToken } from './csrf.ts';

/**
 * A minimal page whose form POSTs to `action` with a CSRF token, submitted by script (with the app's CSP nonce
 * from `ctx.state.cspNonce`, if it sets one) or by hand when scripts are off.
 */
export function renderAutoSubmitPage(ctx: Context, page: { title: string; action: string; button: string }): void {
  const nonce = typeof ctx.state.cspNonce === 'string' ? ` nonce="${escapeHtml(ctx.state.cspNonce)}"` : '';
  ctx.type = 'html';
  ctx.set('cache-control', 'no-store');
  ctx.body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>${escapeHtml(page.title)}</title></head>
<body>
<form id="mma-auto-submit" method="post" action="${escapeHtml(page.action)}">
<input type="hidden" name="_csrf" value="${escapeHtml(csrfToken(ctx))}">
<p>${escapeHtml(page.title)}…</p>
<noscript><button type="submit">${escapeHtml(page.button)}</button></noscript>
</form>
<script${nonce}>document.getElementById('mma-auto-submit').submit();</script>
</body></html>`;
}
