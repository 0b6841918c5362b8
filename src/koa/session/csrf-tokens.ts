import { createHash, randomBytes } from 'node:crypto';
import Tokens from '@fastify/csrf';
import type { Context } from 'koa';
import { sessionOf } from './session-keys.ts';

// The `csrf` library's token format (SHA-1 over salt and secret), so koa-csrf's tokens verify here and ours
// there; @fastify/csrf compares with `timingSafeEqual` where `csrf` spends two HMACs under a fresh key per check.
const tokens = Tokens({ algorithm: 'sha1' });
// The session key koa-csrf keeps its secret under: tokens minted by either library verify in both.
const secretKey = 'secret';
const boundSalt = /^[0-9a-f]{8}\.((?:[0-9a-f]{2})+)$/;

/** What a valid token says: the account it was made for, when it names one (koa-csrf's tokens name none). */
export interface CsrfTokenReading {
  account: string | undefined;
}

/** Whether this session holds a CSRF secret: one that has none cannot have issued a token. */
export function hasCsrfSecret(ctx: Context): boolean {
  return typeof sessionOf(ctx)[secretKey] === 'string';
}

/**
 * A CSRF token for forms (`_csrf` field) or fetch calls (`x-csrf-token` header) that names `account`, the one
 * the page was made for. The account rides in the salt, which the hash covers: the token stays one that
 * koa-csrf accepts (neither library lets a caller choose the salt, hence the hash written out here), and a
 * request carrying it says whom it was meant for.
 */
export function mintCsrfToken(ctx: Context, account: string | undefined): string {
  const session = sessionOf(ctx);
  if (typeof session[secretKey] !== 'string') session[secretKey] = tokens.secretSync();
  const secret = session[secretKey] as string;
  if (account === undefined) return tokens.create(secret);
  const salt = `${randomBytes(4).toString('hex')}.${Buffer.from(account).toString('hex')}`;
  return `${salt}-${createHash('sha1').update(`${salt}-${secret}`, 'ascii').digest('base64url')}`;
}

/** `token` checked against this session's secret: undefined when it is not one the session issued. */
export function readCsrfToken(ctx: Context, token: unknown): CsrfTokenReading | undefined {
  const secret = sessionOf(ctx)[secretKey];
  if (typeof secret !== 'string' || typeof token !== 'string' || !tokens.verify(secret, token)) return undefined;
  const bound = boundSalt.exec(token.slice(0, token.indexOf('-')));
  return { account: bound ? Buffer.from(bound[1]!, 'hex').toString('utf8') : undefined };
}

/**
 * The valid CSRF token the request carries already at hand: in the `x-csrf-token` header, or in a body the app's
 * own parser has read. Never reads the body itself (a parser after it would find the stream spent).
 */
export function csrfTokenAtHand(ctx: Context): CsrfTokenReading | undefined {
  const body = (ctx.request as Context['request'] & { body?: unknown }).body;
  const token =
    ctx.get('x-csrf-token') ||
    (typeof body === 'object' && body !== null ? (body as Record<string, unknown>)._csrf : undefined);
  return readCsrfToken(ctx, token);
}
