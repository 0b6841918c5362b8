import type { EntityManager } from '@mikro-orm/core';
import type { Context } from 'koa';
import type { UserId } from '../../actions/arguments.ts';
import type { BrowserSessions } from '../../actions/browser-sessions.ts';
import { LinkedAccountActions } from '../../actions/linked-account-actions.ts';
import type { MultiAccountPair } from '../../actions/multi-account-pair.ts';
import type { ResolvedKoaOptions } from '../options.ts';
import type { CookieState } from './browser-session.ts';
import { rememberAccounts } from './remembered-accounts.ts';

interface Earlier {
  ctx: Context;
  options: ResolvedKoaOptions;
  pair: MultiAccountPair;
  em: EntityManager;
  records: BrowserSessions;
}

/**
 * A sign-in outside "Add another account" starts afresh: every account signed in on this browser before is signed
 * out — its browser session's record ends, so every copy of the cookie stops acting, and its group's links go —
 * and, with `rememberAccounts`, listed as signed out, as a sign-out of each would: the account acting last first,
 * then the group in its order. Only the cookie that is its session's current one ends anything: an old copy signs
 * nobody out.
 */
export async function signOutEarlierAccounts(
  { ctx, options, pair, em, records }: Earlier,
  previous: CookieState,
  primaryId: UserId | undefined,
  signingIn: string,
): Promise<void> {
  if (!(await records.end(previous.state))) return;
  const earlier: string[] = [];
  if (primaryId !== undefined) {
    const links = new LinkedAccountActions(em, pair);
    const token = previous.state.token;
    if (options.rememberAccounts) {
      const group = await links.groupWithUsers(primaryId, token);
      earlier.push(String(primaryId), ...group.map(member => String(member.link.linkedUserId)));
    }
    await links.destroyGroup(primaryId, token);
  }
  if (!options.rememberAccounts) return;
  const signedOut = [...new Set([previous.acting, ...earlier])].filter(id => id !== signingIn);
  rememberAccounts(ctx, options.rememberAccounts, signedOut);
}
