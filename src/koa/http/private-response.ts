import type { Context } from 'koa';

/**
 * A response made for the account signed in: caches key it by the cookie and keep it nowhere (`no-store`, so
 * the back button after a switch does not show the page of the account before), unless the app chose its own
 * `Cache-Control`.
 */
export function keepPrivate(ctx: Context): void {
  ctx.vary('Cookie');
  if (!ctx.response.get('cache-control')) ctx.set('cache-control', 'private, no-store');
}
