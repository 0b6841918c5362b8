import type { Context } from 'koa';
import { type BrowserSessionState, browserSessionStateOf } from '../../actions/browser-sessions.ts';
import { httpMessages } from '../../errors/http-messages.ts';
import { type SessionKeys, sessionOf } from './session-keys.ts';

/** What a cookie holds of its browser session: the record's generation it was issued with, and for whom. */
export interface CookieState {
  state: BrowserSessionState;
  acting: string;
  /**
   * Issued by a change and not presented yet: the record still accepts the generation before (a lost answer).
   * Its first request tells the record, once (`BrowserSessions.presented`).
   */
  fresh?: boolean;
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
  const stored = session[keys.browserSession] as
    | { generation?: unknown; acting?: unknown; fresh?: unknown }
    | undefined;
  const state = browserSessionStateOf(session[keys.sessionToken], stored?.generation);
  if (!state || typeof stored?.acting !== 'string') return undefined;
  return { state, acting: stored.acting, ...(stored.fresh === true ? { fresh: true } : {}) };
}

export function setCookieState(ctx: Context, keys: SessionKeys, { state, acting, fresh }: CookieState): void {
  const session = sessionOf(ctx);
  session[keys.sessionToken] = state.token;
  session[keys.browserSession] = { generation: state.generation, acting, ...(fresh ? { fresh } : {}) };
}

export function clearSession(ctx: Context): void {
  const session = sessionOf(ctx);
  for (const key of Object.keys(session.toJSON())) delete session[key];
}

/**
 * A new session id: in an external store the old key is destroyed and a new one issued — or, after a change
 * (`keepPrevious`), the old key keeps the new session at the generation before, for a lost answer. The cookie
 * store has no id to fixate — the cookie is the session, written anew at the end of this request with the new
 * generation, which revokes every older copy — so there koa-session's immediate extra write (an expired cookie
 * and a new one, both signed, then overwritten by the final commit) is skipped.
 */
export async function renewSessionId(ctx: Context, keepPrevious?: { keys: SessionKeys; generation: number }) {
  const store = (ctx as Context & { sessionOptions?: { store?: ExternalStore } }).sessionOptions?.store;
  if (!store) return;
  const session = sessionOf(ctx);
  const oldKey = session.externalKey as string | undefined;
  await session.regenerate();
  if (keepPrevious && oldKey) await keepUnderOldKey(ctx, store, oldKey, keepPrevious);
}

interface ExternalStore {
  set(
    key: string,
    value: unknown,
    maxAge: number,
    options: { changed: boolean; ctx: Context; rolling: boolean },
  ): unknown;
}

// Long enough for a browser whose answer was lost to come back; the record decides whether it may still act.
const previousKeyMaxAge = 60 * 60 * 1000;

/**
 * With an external store the browser names its session by key: after a change, its old key keeps the new
 * session's data at the generation before, so a browser that never got the answer (and its new key) is let
 * in as a lost answer, for as long as the record allows (see `BrowserSessions.newer`).
 */
async function keepUnderOldKey(
  ctx: Context,
  store: ExternalStore,
  key: string,
  { keys, generation }: { keys: SessionKeys; generation: number },
): Promise<void> {
  const data = sessionOf(ctx).toJSON() as Record<string, unknown>;
  const { fresh: _, ...state } = data[keys.browserSession] as Record<string, unknown>;
  // `_expire` is koa-session's own validity check; the session's maxAge stays the app's.
  const copy = { ...data, [keys.browserSession]: { ...state, generation }, _expire: Date.now() + previousKeyMaxAge };
  await store.set(key, copy, previousKeyMaxAge, { changed: true, ctx, rolling: false });
}
