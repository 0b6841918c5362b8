import type { Context } from 'koa';
import type { UserId } from '../../actions/arguments.ts';
import { LinkedAccountActions } from '../../actions/linked-account-actions.ts';
import { endBrowserSession, moveSessionOn, StaleSessionError } from './browser-session.ts';
import { fireHook } from '../hooks.ts';
import type { AccountFallback, LoadedAccounts } from '../middleware/load-accounts.ts';
import { putFlash } from './flash.ts';

/**
 * The acting account was deactivated or deleted: the next account of the group (the primary first, or, when
 * the primary is the one gone, the oldest linked account) takes over, and the app is told why. With nobody
 * left, the browser session ends.
 */
export async function fallBack<User extends object>(
  ctx: Context,
  loaded: LoadedAccounts<User>,
  { primaryId, ...why }: Omit<AccountFallback, 'to'> & { primaryId: UserId | undefined },
  loadedUsers: Map<string, User>,
): Promise<void> {
  const { options, pair, em, browserSession } = loaded;
  const group =
    primaryId === undefined
      ? []
      : await new LinkedAccountActions<User>(em, pair).groupWithUsers(primaryId, browserSession!.token);
  const candidates = [
    ...(loaded.primaryUser ? [String(primaryId)] : []),
    ...group.map(member => String(member.link.linkedUserId)),
  ];
  const to = candidates.find(id => id !== why.from);
  const next =
    to === undefined
      ? undefined
      : (loadedUsers.get(to) ?? group.find(member => String(member.link.linkedUserId) === to)?.user);
  if (to === undefined || !next) return endBrowserSession(ctx, loaded);
  try {
    await moveSessionOn(ctx, loaded, to, next);
  } catch (error) {
    if (!(error instanceof StaleSessionError)) throw error;
    loaded.revoked = true; // a parallel request of this browser fell back first
    return;
  }
  loaded.fallback = { ...why, to };
  putFlash(ctx, why.reason === 'inactive' ? 'FALLBACK_INACTIVE' : 'FALLBACK_DELETED', options.sessionKeys);
  await fireHook(options.onSwitch, { ctx, who: why.from, whom: to, reason: 'fallback' });
}
