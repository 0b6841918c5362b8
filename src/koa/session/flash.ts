import type { Context } from 'koa';
import { flashMessages, type FlashCode } from '../../errors/flash-messages.ts';
import { resolveSessionKeys, sessionOf, type SessionKeys } from './session-keys.ts';

export { flashMessages, type FlashCode };

export interface Flash {
  kind: 'info' | 'error';
  code: FlashCode;
  message: string;
}

// A message travels in a short-lived signed cookie of its own, never in the session: a stranger's request (a link
// route opened signed out, say) leaves nothing in the session store, and a request refused while a parallel one
// changed the session (a double click) writes no session, so its older cookie never replaces the newer one.
const cookieName = 'mma.flash';
const cookieMaxAge = 60_000;

/**
 * Leaves a message for the next page (`RequestAccounts.leaveMessage` decides whether it may). Only its code is
 * kept. Without `app.keys` to sign the cookie, it goes in the session.
 */
export function putFlash(ctx: Context, code: FlashCode, keys?: Partial<SessionKeys>): void {
  if (!ctx.app.keys) {
    sessionOf(ctx)[resolveSessionKeys(keys).flash] = code;
    return;
  }
  (ctx as WithFlash)[leftNow] = code; // a page of this same request (a fallback's) shows it at once
  ctx.cookies.set(cookieName, code, { ...cookieOptions, maxAge: cookieMaxAge });
}

const leftNow = Symbol('mikro-multi-account flash left by this request');
type WithFlash = Context & { [leftNow]?: FlashCode };
const cookieOptions = { signed: true, httpOnly: true, sameSite: 'lax', overwrite: true } as const;

/** The message left by the last redirect of the link or switch flow, removed as it is read. */
export function takeFlash(ctx: Context, keys?: Partial<SessionKeys>): Flash | undefined {
  const key = resolveSessionKeys(keys).flash;
  const session = sessionOf(ctx);
  const now = (ctx as WithFlash)[leftNow];
  delete (ctx as WithFlash)[leftNow];
  const fromCookie = now ?? (ctx.app.keys ? ctx.cookies.get(cookieName, { signed: true }) : undefined);
  if (fromCookie !== undefined) ctx.cookies.set(cookieName, null, cookieOptions);
  const stored = (session[key] ?? fromCookie) as FlashCode | { code?: FlashCode } | undefined;
  if (session[key] !== undefined) delete session[key];
  // Sessions written by version 0.1 kept the whole message: its code is all that is needed.
  const code = typeof stored === 'object' ? stored?.code : stored;
  if (typeof code !== 'string' || !Object.hasOwn(flashMessages, code)) return undefined;
  const { kind, text } = flashMessages[code];
  return { kind, code, message: text };
}
