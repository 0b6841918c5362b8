import type { Context } from 'koa';

/** Where multi-account state lives in the koa-session session. Change them only together, in every helper. */
export interface SessionKeys {
  /** The signed-in (acting) user, stored as the subject string `user?id=<id>` (with the default identity). */
  user: string;
  /** The account that started the multi-account session. */
  primaryUserId: string;
  /** The random UUID of this signed-in browser session: its server-side record, and what ties its links together. */
  sessionToken: string;
  /** Which generation of the server-side record this cookie carries, and for whom it was issued. */
  browserSession: string;
  /** The last user-visible message, read once with `takeFlash(ctx)`. */
  flash: string;
  /** When this session last kept its record and group from expiring (ms since the epoch). */
  touchedAt: string;
  /** "Add another account" under way: the primary the next sign-in joins, and until when (see `startAdding`). */
  adding: string;
  /** The accounts of the group in `/u/N/` order: a number, once given, names the same account (see `tabSlots`). */
  tabSlots: string;
  /** What the app keeps per account (`accountSession(ctx)`): an object per account id. */
  accountState: string;
}

export const defaultSessionKeys: SessionKeys = {
  user: 'user',
  primaryUserId: 'primary_user_id',
  sessionToken: 'session_token',
  browserSession: 'multi_account_session',
  flash: 'multi_account_flash',
  touchedAt: 'multi_account_touched_at',
  adding: 'multi_account_adding',
  tabSlots: 'multi_account_tabs',
  accountState: 'multi_account_state',
};

export type SessionData = Record<string, unknown> & {
  regenerate(): Promise<void>;
  toJSON(): Record<string, unknown>;
  /** Made for this request: the browser sent no session (koa-session's flag). */
  readonly isNew?: boolean;
};

/** The koa-session session, or a clear error when the session middleware was not mounted first. */
export function sessionOf(ctx: Context): SessionData {
  const session = (ctx as Context & { session?: SessionData | null }).session;
  if (!session) {
    throw new Error(
      'mikro-multi-account needs koa-session: mount `app.use(session(app))` before its middleware and routes.',
    );
  }
  return session;
}

export function resolveSessionKeys(keys?: Partial<SessionKeys>): SessionKeys {
  return { ...defaultSessionKeys, ...keys };
}
