import type { Middleware } from 'koa';
import { httpMessages } from '../../errors/http-messages.ts';
import { refuseAccountChanged } from '../http/account-changed.ts';
import { bodyField } from '../http/body-field.ts';
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
