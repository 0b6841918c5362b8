import type { Context } from 'koa';
import { sameUserId, userIdOf } from '../actions/arguments.ts';
import { LinkedAccountActions } from '../actions/linked-account-actions.ts';
import { actAs } from './act-as.ts';
import { sessionTokenOf } from './ensure-session-token.ts';
import { fireHook } from './hooks.ts';
import { groupMembership, loadAccounts } from './load-multi-account.ts';
import type { ResolvedKoaOptions } from './options.ts';
import { redirectLocal } from './redirect.ts';
import { sessionOf, signOut } from './session.ts';

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
  if (!currentInGroup || (!actorIsPrimary && !actorIsTarget)) return redirectLocal(ctx, after, 'UNLINK_NOT_AUTHORIZED', keys);

  await new LinkedAccountActions(loaded.em, pair).destroy(link.id, { actor: currentUser });
  await fireHook(options.onUnlink, { ctx, who: String(idOf(currentUser)), whom: String(targetId) });
  if (actorIsTarget) {
    await actAs(ctx, String(idOf(primaryUser)), keys);
    await fireHook(options.onSwitch, { ctx, who: String(targetId), whom: String(idOf(primaryUser)), reason: 'unlink' });
  }
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
  const linkedIds = memberIds.slice(1);
  const actions = new LinkedAccountActions(loaded.em, pair);

  let next: string | undefined;
  if (primaryUser && leaving === idOf(primaryUser) && linkedIds.length > 0) {
    next = linkedIds[0]!;
    await actions.transferGroup(primaryUser, next, sessionTokenOf(ctx, keys));
    sessionOf(ctx)[keys.primaryUserId] = next;
  } else if (primaryUser && leaving !== idOf(primaryUser)) {
    const link = links.find(candidate => String(candidate.linkedUserId) === leaving);
    if (link) await actions.destroy(link.id, { actor: currentUser });
    next = idOf(primaryUser);
  }

  if (next === undefined) {
    await signOut(ctx);
    await fireHook(options.onSignOut, { ctx, who: leaving, whom: null, scope: 'account' });
    return redirectLocal(ctx, options.signInPath(ctx, null), 'SIGNED_OUT', keys);
  }
  await actAs(ctx, next, keys);
  await fireHook(options.onSignOut, { ctx, who: leaving, whom: next, scope: 'account' });
  await fireHook(options.onSwitch, { ctx, who: leaving, whom: next, reason: 'sign_out' });
  redirectLocal(ctx, options.afterSwitchPath(ctx), 'SIGNED_OUT_ACCOUNT', keys);
}

/** POST `/sign_out_all`: ends the session and deletes the group's links. */
export async function signOutOfAll(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const { sessionKeys: keys } = options;
  const loaded = await loadAccounts(ctx, options);
  const { pair, currentUser, primaryUser } = loaded;
  if (primaryUser) await new LinkedAccountActions(loaded.em, pair).destroyGroup(primaryUser, sessionTokenOf(ctx, keys));
  await signOut(ctx);
  if (currentUser) await fireHook(options.onSignOut, { ctx, who: String(userIdOf(pair, currentUser)), whom: null, scope: 'all' });
  redirectLocal(ctx, options.signInPath(ctx, null), 'SIGNED_OUT_ALL', keys);
}
