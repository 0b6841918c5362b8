import type { Context } from 'koa';
import type { ResolvedKoaOptions } from '../options.ts';

// What a request will need of the accounts, read from the URL before the routes run, so that the loader's one
// statement loads it with the acting and primary accounts. Loading something decides nothing: the routes check
// it as before.

/**
 * The account a request asks to switch to (POST `<basePath>/switch_to/:userId`), read from the URL before the
 * routes run, so the loader's one statement loads it with the acting and primary accounts: a switch then needs
 * only one statement more, the compare-and-set that checks the membership (on PostgreSQL, with the CSRF token
 * at hand, none: see `identifyRequest`). Loading it decides nothing.
 */
export function requestedSwitchTarget(ctx: Context, options: ResolvedKoaOptions): string | undefined {
  if (ctx.method !== 'POST') return undefined;
  const prefix = `${options.basePath}/switch_to/`;
  if (!ctx.path.startsWith(prefix)) return undefined;
  try {
    const target = decodeURIComponent(ctx.path.slice(prefix.length));
    return target === '' || target.includes('/') ? undefined : target;
  } catch {
    return undefined; // a malformed URL: the routes answer it
  }
}

/**
 * Whether the request lists the session's group: GET `<basePath>/accounts`, the switcher as JSON — or, where the
 * app's pages show the switcher (`switcherOnEveryPage`), any page load.
 */
export function requestsGroup(ctx: Context, options: ResolvedKoaOptions): boolean {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return false;
  return options.switcherOnEveryPage || ctx.path === options.urls.accounts();
}
