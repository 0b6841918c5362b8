import type { Context } from 'koa';
import { sameUserId, userIdOf } from '../../actions/arguments.ts';
import { LinkedAccountActions } from '../../actions/linked-account-actions.ts';
import { withoutTabPrefix } from '../middleware/account-selector.ts';
import { endBrowserSession, moveSessionOn } from '../session/browser-session.ts';
import { fireHook } from '../hooks.ts';
import { groupMemberViews, groupMembership } from '../session/group-membership.ts';
import { loadAccounts } from '../middleware/load-accounts.ts';
import type { ResolvedKoaOptions } from '../options.ts';
import { redirectLocal } from '../http/redirect.ts';
import { forgetAccount, rememberAccount } from '../session/remembered-accounts.ts';
import { sessionOf } from '../session/session-keys.ts';

/**
 * POST `/unlink/:userId`: removes a linked account from this session's group. The primary may remove any of
 * them, a linked account only itself; removing the acting account falls back to the primary.
 */
export async function unlinkAccount(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const { sessionKeys: keys } = options;
  const loaded = await loadAccounts(ctx, options);
  const { pair, currentUser, primaryUser } = loaded;
  const after = options.afterSwitchPath(ctx);
  if (!currentUser) return redirectLocal(ctx, options.signInPath(ctx, null), 'SIGN_IN_TO_SWITCH', keys);
  if (!primaryUser) return redirectLocal(ctx, after, 'NO_MULTI_ACCOUNT_SESSION', keys);
  const idOf = (user: unknown) => userIdOf(pair, user);
  const { links, currentInGroup } = await groupMembership(ctx);
  const targetId = idOf(ctx.params.userId);
  const link = links.find(candidate => sameUserId(candidate.linkedUserId, targetId));
  if (!link) return redirectLocal(ctx, after, 'UNLINK_NOT_FOUND', keys);
  const actorIsPrimary = sameUserId(idOf(currentUser), idOf(primaryUser));
  const actorIsTarget = sameUserId(idOf(currentUser), targetId);
  if (!currentInGroup || (!actorIsPrimary && !actorIsTarget))
    return redirectLocal(ctx, after, 'UNLINK_NOT_AUTHORIZED', keys);

  const acting = actorIsTarget ? primaryUser : currentUser;
  await moveSessionOn(ctx, loaded, String(idOf(acting)), acting);
  await new LinkedAccountActions(loaded.em, pair).destroy(link.id, { actor: currentUser });
  // Removed from this browser: not listed as signed out either.
  if (options.rememberAccounts) forgetAccount(ctx, options.rememberAccounts, String(targetId));
  await fireHook(options.onUnlink, { ctx, who: String(idOf(currentUser)), whom: String(targetId) });
  if (actorIsTarget)
    await fireHook(options.onSwitch, { ctx, who: String(targetId), whom: String(idOf(primaryUser)), reason: 'unlink' });
  redirectLocal(ctx, after, 'UNLINKED', keys);
}

/**
 * POST `/sign_out`: the acting account leaves. A linked account hands over to the primary; the primary hands
 * the group over to its oldest linked account; the last one leaving ends the session.
 */
export async function signOutOfAccount(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const { sessionKeys: keys } = options;
  const loaded = await loadAccounts(ctx, options);
  const { pair, currentUser, primaryUser } = loaded;
  const idOf = (user: unknown) => String(userIdOf(pair, user));
  if (!currentUser) return redirectLocal(ctx, options.signInPath(ctx, null), 'SIGNED_OUT', keys);
  const { links, memberIds } = await groupMembership(ctx);
  const leaving = idOf(currentUser);
  const actions = new LinkedAccountActions(loaded.em, pair);
  const token = loaded.browserSession!.token;

  const heirId =
    primaryUser && leaving === idOf(primaryUser) ? memberIds[1] : primaryUser ? idOf(primaryUser) : undefined;
  const heir =
    heirId === undefined ? undefined : (await groupMemberViews(ctx)).find(member => member.id === heirId)?.user;
  if (options.rememberAccounts) rememberAccount(ctx, options.rememberAccounts, leaving);
  if (!heir) {
    await endBrowserSession(ctx, loaded);
    await fireHook(options.onSignOut, { ctx, who: leaving, whom: null, scope: 'account' });
    return redirectLocal(ctx, options.signInPath(ctx, null), 'SIGNED_OUT', keys);
  }
  const next = idOf(heir);
  await moveSessionOn(ctx, loaded, next, heir);
  if (leaving === idOf(primaryUser)) {
    await actions.transferGroup(primaryUser!, next, token);
    sessionOf(ctx)[keys.primaryUserId] = next;
  } else {
    const link = links.find(candidate => String(candidate.linkedUserId) === leaving);
    if (link) await actions.destroy(link.id, { actor: currentUser });
  }
  await fireHook(options.onSignOut, { ctx, who: leaving, whom: next, scope: 'account' });
  await fireHook(options.onSwitch, { ctx, who: leaving, whom: next, reason: 'sign_out' });
  // From a `/u/N/…` tab, back to the page as the session's account: the tab's index may name nobody now.
  const after = options.afterSwitchPath(ctx);
  redirectLocal(ctx, loaded.selectedIndex === undefined ? after : withoutTabPrefix(after), 'SIGNED_OUT_ACCOUNT', keys);
}

/** POST `/sign_out_all`: ends the session and deletes the group's links. */
export async function signOutOfAll(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const { sessionKeys: keys } = options;
  const loaded = await loadAccounts(ctx, options);
  const { pair, currentUser, primaryUser, sessionToken } = loaded;
  if (primaryUser && sessionToken)
    await new LinkedAccountActions(loaded.em, pair).destroyGroup(primaryUser, sessionToken);
  await endBrowserSession(ctx, loaded);
  if (currentUser)
    await fireHook(options.onSignOut, { ctx, who: String(userIdOf(pair, currentUser)), whom: null, scope: 'all' });
  redirectLocal(ctx, options.signInPath(ctx, null), 'SIGNED_OUT_ALL', keys);
}
