import type { Context } from 'koa';
import { flashMessages, type FlashCode } from '../../errors/flash-messages.ts';
import { resolveSessionKeys, sessionOf, type SessionKeys } from './session-keys.ts';

export { flashMessages, type FlashCode };

export interface Flash {
  kind: 'info' | 'error';
  code: FlashCode;
  message: string;
}

/**
 * Leaves a message for the next page (`RequestAccounts.leaveMessage` decides whether it may). Only its code is
 * kept: the session (a cookie, with the default store) is read on every request.
 */
export function putFlash(ctx: Context, code: FlashCode, keys?: Partial<SessionKeys>): void {
  sessionOf(ctx)[resolveSessionKeys(keys).flash] = code;
}

/** The message left by the last redirect of the link or switch flow, removed as it is read. */
export function takeFlash(ctx: Context, keys?: Partial<SessionKeys>): Flash | undefined {
  const key = resolveSessionKeys(keys).flash;
  const session = sessionOf(ctx);
  const stored = session[key] as FlashCode | { code?: FlashCode } | undefined;
  delete session[key];
  // Sessions written by version 0.1 kept the whole message: its code is all that is needed.
  const code = typeof stored === 'object' ? stored?.code : stored;
  if (typeof code !== 'string' || !Object.hasOwn(flashMessages, code)) return undefined;
  const { kind, text } = flashMessages[code];
  return { kind, code, message: text };
}
