import type { Context } from 'koa';

/**
 * A page that changes an account when its button is pressed is never shown inside another page: no other site
 * (a sibling origin included) can frame it under a decoy and borrow the click. The CSP directive is appended, so
 * a policy the app sent stays in force beside it.
 */
export function refuseFraming(ctx: Context): void {
  ctx.set('x-frame-options', 'DENY');
  ctx.append('content-security-policy', "frame-ancestors 'none'");
}
