import Tokens from '@fastify/csrf';
import type { Context } from 'koa';
import { sessionOf } from './session-keys.ts';

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
  const body = (ctx.request as Context['request'] & { body?: unknown }).body;
  const token =
    ctx.get('x-csrf-token') ||
    (typeof body === 'object' && body !== null ? (body as Record<string, unknown>)._csrf : undefined);
  return verifyCsrfToken(ctx, token);
}

/** Whether `token` is one this session's secret issued. */
export function verifyCsrfToken(ctx: Context, token: unknown): boolean {
  const secret = sessionOf(ctx)[secretKey];
  return typeof secret === 'string' && typeof token === 'string' && tokens.verify(secret, token);
}
