import type { Context } from 'koa';

/** What every lifecycle hook receives: who did it, to whom, when, and the request. */
export interface MultiAccountEvent {
  ctx: Context;
  at: Date;
  /** The account that acted (for onSwitch: the account acting before). */
  who: string | null;
  /**
   * The account acted upon (for onSwitch: the account acting after; for onSignOut: the account left acting, if
   * any).
   */
  whom: string | null;
}

export interface MultiAccountHooks {
  onLink?: (event: MultiAccountEvent) => unknown;
  onSwitch?: (event: MultiAccountEvent & { reason: 'switch' | 'fallback' | 'unlink' | 'sign_out' }) => unknown;
  onUnlink?: (event: MultiAccountEvent) => unknown;
  onSignOut?: (event: MultiAccountEvent & { scope: 'account' | 'all' }) => unknown;
}

/**
 * Calls an app's hook (for audit logs, say). A hook that throws or rejects is reported through Koa's
 * `app.emit('error')` and never breaks the request: the action it reports on has already happened.
 */
export async function fireHook<Event extends MultiAccountEvent>(
  hook: ((event: Event) => unknown) | undefined,
  event: Omit<Event, 'at'>,
): Promise<void> {
  if (!hook) return;
  try {
    await hook({ ...event, at: new Date() } as Event);
  } catch (error) {
    event.ctx.app.emit('error', error, event.ctx);
  }
}
