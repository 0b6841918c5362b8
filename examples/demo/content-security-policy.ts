import { randomBytes } from 'node:crypto';
import type { Middleware } from 'koa';
import { demoStylesheetHash } from './views/stylesheet.ts';

/**
 * A strict Content-Security-Policy on every answer: scripts only from this site (the switcher's files included)
 * or with this request's nonce (the library's confirmation page reads `ctx.state.cspNonce`), no inline style but
 * the demo's own stylesheet. The account switcher needs nothing more.
 */
export function contentSecurityPolicy(): Middleware {
  return async function contentSecurityPolicy(ctx, next) {
    const nonce = randomBytes(16).toString('base64');
    ctx.state.cspNonce = nonce;
    ctx.set(
      'content-security-policy',
      `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' ${demoStylesheetHash}; ` +
        "img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    await next();
  };
}
