import { randomUUID } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { isUuid } from '../actions/arguments.ts';
import { resolveSessionKeys, sessionOf, type SessionKeys } from './session.ts';

/** The session's token, created (a random UUID) if there is none or the stored one was tampered with. */
export function sessionTokenOf(ctx: Context, keys?: Partial<SessionKeys>): string {
  const key = resolveSessionKeys(keys).sessionToken;
  const session = sessionOf(ctx);
  if (!isUuid(session[key])) session[key] = randomUUID();
  return session[key] as string;
}

/**
 * Middleware that puts a fresh random UUID session token into the session if there is none. Sessions that hold
 * nothing yet are left alone: a visitor who is not signed in, or a request still carrying a session id that a
 * parallel request has just renewed, must not get a new session (and a cookie that would overwrite the
 * browser's good one) only for a token. The link flow creates the token itself when it needs one.
 */
export function ensureSessionToken(options: { sessionKeys?: Partial<SessionKeys> } = {}): Middleware {
  return async (ctx, next) => {
    const session = sessionOf(ctx) as ReturnType<typeof sessionOf> & { toJSON(): object };
    if (Object.keys(session.toJSON()).length > 0) sessionTokenOf(ctx, options.sessionKeys);
    await next();
  };
}
