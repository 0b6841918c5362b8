import Tokens from '@fastify/csrf';
import parseBody from 'co-body';
import type { Context, Middleware } from 'koa';
import { sessionOf } from '../session/session-keys.ts';
import { httpMessages } from '../../errors/http-messages.ts';

// The `csrf` library's token format (SHA-1 over salt and secret), so koa-csrf's tokens verify here and ours
// there; @fastify/csrf compares with `timingSafeEqual` where `csrf` spends two HMACs under a fresh key per check.
const tokens = Tokens({ algorithm: 'sha1' });
// The session key koa-csrf keeps its secret under: tokens minted by either library verify in both.
const secretKey = 'secret';

/** Whether this session holds a CSRF secret: one that has none cannot have issued a token. */
export function hasCsrfSecret(ctx: Context): boolean {
  return typeof sessionOf(ctx)[secretKey] === 'string';
}

/** A CSRF token for forms (`_csrf` field) or fetch calls (`x-csrf-token` header). */
export function csrfToken(ctx: Context): string {
  const session = sessionOf(ctx);
  if (typeof session[secretKey] !== 'string') session[secretKey] = tokens.secretSync();
  return tokens.create(session[secretKey] as string);
}

/**
 * Whether the request carries a valid CSRF token already at hand: in the `x-csrf-token` header, or in a body
 * the app's own parser has read. Never reads the body itself (a parser after it would find the stream spent).
 */
export function carriesCsrfToken(ctx: Context): boolean {
  const secret = sessionOf(ctx)[secretKey];
  const body = (ctx.request as Context['request'] & { body?: unknown }).body;
  const token =
    ctx.get('x-csrf-token') ||
    (typeof body === 'object' && body !== null ? (body as Record<string, unknown>)._csrf : undefined);
  return typeof secret === 'string' && typeof token === 'string' && tokens.verify(secret, token);
}

/**
 * Refuses a request (403) unless it carries a valid CSRF token in the `_csrf` form/JSON field or the
 * `x-csrf-token` header. Parses a small body itself when the app has no body parser in front.
 */
export function requireCsrfToken(): Middleware {
  return async (ctx, next) => {
    const secret = sessionOf(ctx)[secretKey];
    const token = ctx.get('x-csrf-token') || (await bodyField(ctx, '_csrf'));
    if (typeof secret !== 'string' || typeof token !== 'string' || !tokens.verify(secret, token)) {
      ctx.throw(403, httpMessages.CSRF_TOKEN_INVALID);
    }
    await next();
  };
}

async function bodyField(ctx: Context, field: string): Promise<unknown> {
  const request = ctx.request as Context['request'] & { body?: unknown };
  if (request.body === undefined && ctx.is('urlencoded', 'json')) {
    try {
      request.body = await parseBody(ctx, { limit: '16kb', strict: true });
    } catch (error) {
      const status = (error as { status?: number }).status;
      ctx.throw(status === 413 ? 413 : 400, status === 413 ? httpMessages.BODY_TOO_LARGE : httpMessages.BODY_MALFORMED);
    }
  }
  const body = request.body;
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
}
