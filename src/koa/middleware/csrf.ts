import parseBody from 'co-body';
import type { Context, Middleware } from 'koa';
import { httpMessages } from '../../errors/http-messages.ts';
import { refuseAccountChanged } from '../http/account-changed.ts';
import { readCsrfToken } from '../session/csrf-tokens.ts';
import { staleIntent } from '../session/intent.ts';
import { accountsIfLoaded } from '../session/request-accounts.ts';

/**
 * Refuses a request (403) unless it carries a valid CSRF token in the `_csrf` form/JSON field or the
 * `x-csrf-token` header, and (409) when the token was made for another account than the one acting now: nothing
 * is changed as the wrong account. Parses a small body itself when the app has no body parser in front.
 */
export function requireCsrfToken(): Middleware {
  return async (ctx, next) => {
    const token = ctx.get('x-csrf-token') || (await bodyField(ctx, '_csrf'));
    const reading = readCsrfToken(ctx, token);
    if (!reading) return ctx.throw(403, httpMessages.CSRF_TOKEN_INVALID);
    const stale = staleIntent(accountsIfLoaded(ctx), reading);
    if (stale) return refuseAccountChanged(ctx, stale.accounts, stale.intended);
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
