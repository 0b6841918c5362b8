import type { Context, Middleware } from 'koa';
import type { ResolvedKoaOptions } from '../options.ts';
import { httpMessages } from '../../errors/http-messages.ts';

const pathPrefix = /^\/u\/(\d{1,3})(\/.*)?$/;

const selectedBefore = new WeakMap<Context, number | undefined>();

/**
 * The per-tab selector as a middleware of its own, to mount before the app's path guards: they then see the path
 * the routes will see (`/admin`, not `/u/0/admin`). The loader uses what it found.
 */
export function tabSelector(options: ResolvedKoaOptions): Middleware {
  return async function tabSelector(ctx, next) {
    selectedBefore.set(ctx, readSelection(ctx, options));
    await next();
  };
}

/**
 * The group index a request asks to act as, per tab: from a `/u/:index/…` prefix (which is then removed, so
 * the app's routes match as usual) or from the selector header. Undefined when the request does not ask.
 */
export function selectedAccountIndex(ctx: Context, options: ResolvedKoaOptions): number | undefined {
  return selectedBefore.has(ctx) ? selectedBefore.get(ctx) : readSelection(ctx, options);
}

function readSelection(ctx: Context, options: ResolvedKoaOptions): number | undefined {
  const { pathPrefix: fromPath, header } = options.accountSelector;
  const match = fromPath ? pathPrefix.exec(ctx.path) : null;
  if (match) {
    ctx.path = match[2] ?? '/';
    return Number(match[1]);
  }
  const value = header ? ctx.get(header) : '';
  if (!value) return undefined;
  if (!/^\d{1,3}$/.test(value)) ctx.throw(400, httpMessages.ACCOUNT_INDEX_INVALID(header!));
  return Number(value);
}

/** `path` without its `/u/:index` prefix, if it has one: the same page, whichever account acts in it. */
export function withoutTabPrefix(path: string): string {
  const match = pathPrefix.exec(path);
  return match ? (match[2] ?? '/') : path;
}

/** Where `page` (a path on this site) is, acted on as account `index` of the group. */
export function tabUrl(index: number, page: string): string {
  return `/u/${index}${withoutTabPrefix(page)}`;
}

/**
 * One of the library's routes as this request reaches it: through its `/u/N/` tab when it acts per tab (so the
 * route acts as the tab's account), as is otherwise.
 */
export function throughTab(options: ResolvedKoaOptions, selectedIndex: number | undefined, path: string): string {
  return options.accountSelector.pathPrefix && selectedIndex !== undefined ? tabUrl(selectedIndex, path) : path;
}
