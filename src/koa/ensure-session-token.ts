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

/** Middleware that puts a fresh random UUID session token into the session if there is none. */
export function ensureSessionToken(options: { sessionKeys?: Partial<SessionKeys> } = {}): Middleware {
  return async (ctx, next) => {
    sessionTokenOf(ctx, options.sessionKeys);
    await next();
  };
}
