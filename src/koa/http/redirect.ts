import type { Context } from 'koa';
import { safeLocalPath } from './safe-redirect.ts';

/** Redirects to a local path only (anything else becomes `/`). */
export function redirectLocal(ctx: Context, target: string): void {
  ctx.redirect(safeLocalPath(target));
  // After a POST, 303 makes the browser GET the next page instead of re-posting.
  if (ctx.method === 'POST') ctx.status = 303;
}
