import type { Context } from 'koa';
import { type BrowserSessionState, browserSessionStateOf } from '../../actions/browser-sessions.ts';
import { httpMessages } from '../../errors/http-messages.ts';
import { type SessionKeys, sessionOf } from './session-keys.ts';

/** What a cookie holds of its browser session: the record's generation it was issued with, and for whom. */
export interface CookieState {
  state: BrowserSessionState;
  acting: string;
}

/**
 * Thrown when a request's cookie stopped being current while it ran: another request of the same browser (a
 * double click, a second tab) moved the session on first. The routes answer it with a redirect to where that
 * request went, leaving the session as it is, so the browser keeps the newer cookie.
 */
export class StaleSessionError extends Error {
  readonly status = 409;
  readonly expose = true;
  constructor() {
    super(httpMessages.SESSION_CHANGED);
  }
}

export function cookieStateOf(ctx: Context, keys: SessionKeys): CookieState | undefined {
  const session = sessionOf(ctx);
  const stored = session[keys.browserSession] as { generation?: unknown; acting?: unknown } | undefined;
  const state = browserSessionStateOf(session[keys.sessionToken], stored?.generation);
  return state && typeof stored?.acting === 'string' ? { state, acting: stored.acting } : undefined;
}

export function setCookieState(ctx: Context, keys: SessionKeys, { state, acting }: CookieState): void {
  const session = sessionOf(ctx);
  session[keys.sessionToken] = state.token;
  session[keys.browserSession] = { generation: state.generation, acting };
}

export function clearSession(ctx: Context): void {
  const session = sessionOf(ctx);
  for (const key of Object.keys(session.toJSON())) delete session[key];
}

/**
 * A new session id: in an external store the old key is destroyed and a new one issued. The cookie store has no
 * id to fixate — the cookie is the session, written anew at the end of this request with the new generation,
 * which revokes every older copy — so there koa-session's immediate extra write (an expired cookie and a new
 * one, both signed, then overwritten by the final commit) is skipped.
 */
export async function renewSessionId(ctx: Context): Promise<void> {
  if ((ctx as Context & { sessionOptions?: { store?: unknown } }).sessionOptions?.store) {
    await sessionOf(ctx).regenerate();
  }
}
