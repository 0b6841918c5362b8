import type { Context } from 'koa';

/** Where multi-account state lives in the koa-session session. Change them only together, in every helper. */
export interface SessionKeys {
  /** The signed-in (acting) user, stored as the subject string `user?id=<id>`. */
  user: string;
  /** The account that started the multi-account session. */
  primaryUserId: string;
  /** The random UUID that ties this browser session's links together. */
  sessionToken: string;
  /** The last user-visible message, read once with `takeFlash(ctx)`. */
  flash: string;
  /** When this session last kept its group from expiring (ms since the epoch). */
  touchedAt: string;
}

export const defaultSessionKeys: SessionKeys = {
  user: 'user',
  primaryUserId: 'primary_user_id',
  sessionToken: 'session_token',
  flash: 'multi_account_flash',
  touchedAt: 'multi_account_touched_at',
};

type SessionData = Record<string, unknown> & { regenerate?: () => Promise<void> | undefined };

/** The koa-session session, or a clear error when the session middleware was not mounted first. */
export function sessionOf(ctx: Context): SessionData {
  const session = (ctx as Context & { session?: SessionData | null }).session;
  if (!session) {
    throw new Error('mikro-multi-account needs koa-session: mount `app.use(session(app))` before its middleware and routes.');
  }
  return session;
}

export function resolveSessionKeys(keys?: Partial<SessionKeys>): SessionKeys {
  return { ...defaultSessionKeys, ...keys };
}

const subjectPattern = /^user\?id=(.{1,255})$/;

/** Signs `id` in as the acting user: the one session call an app's sign-in handler makes. */
export function putUserId(ctx: Context, id: string | number | bigint, keys?: Partial<SessionKeys>): void {
  sessionOf(ctx)[resolveSessionKeys(keys).user] = `user?id=${String(id)}`;
}

/** The acting user's id as stored in the session, or undefined when nobody is signed in. */
export function getUserId(ctx: Context, keys?: Partial<SessionKeys>): string | undefined {
  const subject = sessionOf(ctx)[resolveSessionKeys(keys).user];
  return typeof subject === 'string' ? subjectPattern.exec(subject)?.[1] : undefined;
}

/** Leaves multi-account mode; the acting user stays signed in. */
export function clearMultiAccount(ctx: Context, keys?: Partial<SessionKeys>): void {
  const resolved = resolveSessionKeys(keys);
  const session = sessionOf(ctx);
  delete session[resolved.primaryUserId];
  delete session[resolved.sessionToken];
  delete session[resolved.touchedAt];
}

/**
 * `putUserId`'s counterpart for the app's own sign-out: ends the whole session — every key is dropped and the
 * old session id destroyed — so no half-set-up link survives for the next person on this browser. Messages
 * set afterwards go to a fresh session.
 */
export async function signOut(ctx: Context): Promise<void> {
  const session = sessionOf(ctx) as SessionData & { toJSON(): Record<string, unknown> };
  for (const key of Object.keys(session.toJSON())) delete session[key];
  await session.regenerate!();
}
