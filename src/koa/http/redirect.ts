import type { Context } from 'koa';
import { putFlash, type FlashCode } from '../session/flash.ts';
import { safeLocalPath } from './safe-redirect.ts';
import type { SessionKeys } from '../session/session-keys.ts';

/** Redirects to a local path only (anything else becomes `/`), leaving a message for the next page. */
export function redirectLocal(ctx: Context, target: string, flash: FlashCode, keys: SessionKeys): void {
  putFlash(ctx, flash, keys);
  ctx.redirect(safeLocalPath(target));
  // After a POST, 303 makes the browser GET the next page instead of re-posting.
  if (ctx.method === 'POST') ctx.status = 303;
}
