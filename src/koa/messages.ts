import type { Context } from 'koa';
import { flashMessages, type FlashCode } from '../errors/flash-messages.ts';
import { resolveSessionKeys, sessionOf, type SessionKeys } from './session-keys.ts';

export { flashMessages, type FlashCode };

export interface Flash {
  kind: 'info' | 'error';
  code: FlashCode;
  message: string;
}

/** Leaves a message for the next page; never on a revoked cookie's session, which must not be written back. */
export function putFlash(ctx: Context, code: FlashCode, keys?: Partial<SessionKeys>): void {
  if ((ctx.state.multiAccount as { revoked?: boolean } | undefined)?.revoked) return;
  const { kind, text } = flashMessages[code];
  sessionOf(ctx)[resolveSessionKeys(keys).flash] = { kind, code, message: text } satisfies Flash;
}

/** The message left by the last redirect of the link or switch flow, removed as it is read. */
export function takeFlash(ctx: Context, keys?: Partial<SessionKeys>): Flash | undefined {
  const key = resolveSessionKeys(keys).flash;
  const session = sessionOf(ctx);
  const flash = session[key] as Flash | undefined;
  delete session[key];
  return flash?.code && flash.code in flashMessages ? flash : undefined;
}
