import type { Context } from 'koa';
import { BrowserSessions, browserSessionStateOf, type BrowserSessionState } from '../../actions/browser-sessions.ts';
import type { SqlCondition } from '../../actions/compiled-sql.ts';
import type { LoadedAccounts } from '../middleware/load-accounts.ts';
import { sessionOf, type SessionKeys } from './session-keys.ts';
import { httpMessages } from '../../errors/http-messages.ts';

/** What a cookie holds of its browser session: the record's generation it was issued with, and for whom. */
interface CookieState {
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

export function browserSessionsOf(loaded: LoadedAccounts): BrowserSessions {
  return new BrowserSessions(loaded.em, loaded.pair.user.options.linkTtl);
}

/**
 * Signs `id` in: a new session id (the old one destroyed), a new server-side record, and nothing of the old
 * session but its message and the identity's own keys — except a link being added: when this cookie is its
 * session's current one and a primary is waiting for the account to add, the record moves on and the primary
 * is kept. A copy of the cookie (planted, or left behind) can never carry the link on as well: only one request
 * can move a generation on. `user` is written through the identity adapter; without it the identity already
 * holds `id` (the app signed in its own way, or before the library was deployed).
 */
export async function signInAs(ctx: Context, loaded: LoadedAccounts, id: string, user?: object): Promise<void> {
  const { sessionKeys: keys } = loaded.options;
  const session = sessionOf(ctx);
  const previous = cookieStateOf(ctx, keys)?.state;
  const primary = session[keys.primaryUserId];
  const sessions = browserSessionsOf(loaded);
  let carried: BrowserSessionState | undefined;
  if (previous && primary !== undefined) carried = await sessions.advance(previous);
  else if (previous) await sessions.end(previous); // whoever was signed in before is signed out everywhere
  const next = carried ?? (await sessions.start());
  const kept = {
    ...Object.fromEntries(loaded.options.identity.sessionKeys.map(key => [key, session[key]])),
    [keys.flash]: session[keys.flash],
    ...(carried
      ? { [keys.primaryUserId]: primary, [keys.touchedAt]: session[keys.touchedAt] }
      : { [keys.touchedAt]: Date.now() }),
  };
  clearSession(ctx);
  for (const [key, value] of Object.entries(kept)) if (value !== undefined) session[key] = value;
  setCookieState(ctx, keys, { state: next, acting: id });
  if (user) await loaded.options.identity.write(ctx, id, user);
  await renewSessionId(ctx);
}

/**
 * A change of acting account or of the link group: the record moves on one generation (every older cookie
 * stops acting), `acting` becomes the signed-in account through the identity adapter, and the session id is
 * renewed. With `onlyIf`, only while that condition holds, checked in the same statement: false when it did
 * not. Throws `StaleSessionError` when another request moved the session on first.
 */
export async function moveSessionOn(
  ctx: Context,
  loaded: LoadedAccounts,
  actingId: string,
  acting: object,
  onlyIf?: SqlCondition,
): Promise<boolean> {
  const state = loaded.browserSession;
  const next = state && (await browserSessionsOf(loaded).advance(state, onlyIf));
  return settleMove(ctx, loaded, next, actingId, acting, onlyIf !== undefined);
}

/**
 * The rest of `moveSessionOn` once its compare-and-set ran (there, or in the loader's statement): `next` is the
 * new generation, or undefined when refused — then false if it was the condition (the cookie still current),
 * else `StaleSessionError`.
 */
export async function settleMove(
  ctx: Context,
  loaded: LoadedAccounts,
  next: BrowserSessionState | undefined,
  actingId: string,
  acting: object,
  conditional: boolean,
): Promise<boolean> {
  const { sessionKeys: keys, identity } = loaded.options;
  if (!next) {
    // Only when refused: was it the condition, or is this cookie no longer current?
    const state = loaded.browserSession;
    if (state && conditional && (await browserSessionsOf(loaded).isCurrent(state))) return false;
    throw new StaleSessionError();
  }
  setCookieState(ctx, keys, { state: next, acting: actingId });
  await identity.write(ctx, actingId, acting);
  await renewSessionId(ctx);
  loaded.browserSession = next;
  loaded.currentUser = acting;
  ctx.state.currentUser = acting;
  identity.view?.(ctx, acting);
  return true;
}

/**
 * The loader's statement moved the session on before the route decides (see `identifyRequest`): the cookie
 * takes the new generation at once, acting as before, so whatever the rest of the request does, the browser
 * keeps a current cookie and nobody else acts.
 */
export function keepActingAt(ctx: Context, loaded: LoadedAccounts, next: BrowserSessionState): void {
  const { sessionKeys: keys } = loaded.options;
  const acting = cookieStateOf(ctx, keys)?.acting;
  if (acting !== undefined) setCookieState(ctx, keys, { state: next, acting });
  loaded.browserSession = next;
}

/** Ends the browser session: its record is deleted (every cookie of it stops acting) and the session emptied. */
export async function endBrowserSession(ctx: Context, loaded: LoadedAccounts): Promise<void> {
  const state = loaded.browserSession ?? cookieStateOf(ctx, loaded.options.sessionKeys)?.state;
  if (state) await browserSessionsOf(loaded).end(state);
  await loaded.options.identity.clear(ctx);
  clearSession(ctx);
  await renewSessionId(ctx);
  Object.assign(loaded, {
    currentUser: null,
    primaryUser: null,
    browserSession: undefined,
    sessionToken: undefined,
    revoked: false,
  });
  Object.assign(ctx.state, { currentUser: null, primaryUser: null });
  loaded.options.identity.view?.(ctx, null);
}

/**
 * A new session id: in an external store the old key is destroyed and a new one issued. The cookie store has no
 * id to fixate — the cookie is the session, written anew at the end of this request with the new generation,
 * which revokes every older copy — so there koa-session's immediate extra write (an expired cookie and a new
 * one, both signed, then overwritten by the final commit) is skipped.
 */
async function renewSessionId(ctx: Context): Promise<void> {
  if ((ctx as Context & { sessionOptions?: { store?: unknown } }).sessionOptions?.store)
    await sessionOf(ctx).regenerate();
}

function setCookieState(ctx: Context, keys: SessionKeys, { state, acting }: CookieState): void {
  const session = sessionOf(ctx);
  session[keys.sessionToken] = state.token;
  session[keys.browserSession] = { generation: state.generation, acting };
}

function clearSession(ctx: Context): void {
  const session = sessionOf(ctx);
  for (const key of Object.keys(session.toJSON())) delete session[key];
}
