import type { Context } from 'koa';

/**
 * Whether this request may have been started by another site: anything but a navigation the browser reports
 * as same-origin (`Sec-Fetch-Site`), or, from browsers that do not send it, one with a Referer of this origin.
 * Such a request may show what it would do, never do it.
 */
export function mayComeFromAnotherSite(ctx: Context): boolean {
  const site = ctx.get('sec-fetch-site');
  if (site) return site !== 'same-origin';
  const referer = ctx.get('referer');
  if (!referer) return true;
  try {
    return new URL(referer).origin !== `${ctx.protocol}://${ctx.host}`;
  } catch {
    return true;
  }
}
