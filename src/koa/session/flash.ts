import type { Context } from 'koa';
import { flashMessages, type FlashCode } from '../../errors/flash-messages.ts';
import { resolveSessionKeys, sessionOf, type SessionKeys } from './session-keys.ts';

export { flashMessages, type FlashCode };

export interface Flash {
  kind: 'info' | 'error';
  code: FlashCode;
  message: string;
}

// A browser with no session gets its message in a short-lived signed cookie of its own: a stranger's request
// (a link route opened signed out, say) then leaves nothing in the session store.
const cookieName = 'mma.flash';
const cookieMaxAge = 60_000;

/**
 * Leaves a message for the next page (`RequestAccounts.leaveMessage` decides whether it may). Only its code is
 * kept: the session (a cookie, with the default store) is read on every request.
 */
export function putFlash(ctx: Context, code: FlashCode, keys?: Partial<SessionKeys>): void {
  const session = sessionOf(ctx);
  const empty = session.isNew === true && Object.keys(session.toJSON()).length === 0;
  if (empty && ctx.app.keys) {
    ctx.cookies.set(cookieName, code, { signed: true, httpOnly: true, sameSite: 'lax', maxAge: cookieMaxAge });
    return;
  }
  session[resolveSessionKeys(keys).flash] = code;
}

/** The message left by the last redirect of the link or switch flow, removed as it is read. */
export function takeFlash(ctx: Context, keys?: Partial<SessionKeys>): Flash | undefined {
  const key = resolveSessionKeys(keys).flash;
  const session = sessionOf(ctx);
  const fromCookie = ctx.app.keys ? ctx.cookies.get(cookieName, { signed: true }) : undefined;
  if (fromCookie !== undefined) ctx.cookies.set(cookieName, null, { signed: true });
  const stored = (session[key] ?? fromCookie) as FlashCode | { code?: FlashCode } | undefined;
  if (session[key] !== undefined) delete session[key];
  // Sessions written by version 0.1 kept the whole message: its code is all that is needed.
  const code = typeof stored === 'object' ? stored?.code : stored;
  if (typeof code !== 'string' || !Object.hasOwn(flashMessages, code)) return undefined;
  const { kind, text } = flashMessages[code];
  return { kind, code, message: text };
}
