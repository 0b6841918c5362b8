import type { Context } from 'koa';
import { userIdOf } from '../actions/arguments.ts';
import { LinkedAccountActions } from '../actions/linked-account-actions.ts';
import { loadedAccountsOf, type GroupMembership, type LoadedAccounts } from './load-multi-account.ts';
import { httpMessages } from '../errors/http-messages.ts';

/**
 * Who belongs to this session's group, and those users with their display fields: one statement (the links
 * with their linked users joined), once per request.
 */
export async function groupMembership(ctx: Context): Promise<GroupMembership> {
  const loaded = loadedAccountsOf(ctx);
  if (loaded.membership) return loaded.membership;
  const { pair, em, primaryUser, currentUser, sessionToken } = loaded;
  if (!primaryUser || !sessionToken) {
    loaded.members = [];
    return (loaded.membership = { memberIds: [], links: [], currentInGroup: false });
  }
  const primaryId = userIdOf(pair, primaryUser)!;
  const group = await new LinkedAccountActions(em, pair).groupWithUsers(primaryId, sessionToken);
  const links = group.map(member => member.link);
  const memberIds = [String(primaryId), ...links.map(link => String(link.linkedUserId))];
  loaded.members = [primaryUser, ...group.map(member => member.user)];
  const currentInGroup = currentUser !== null && memberIds.includes(String(userIdOf(pair, currentUser)));
  return (loaded.membership = { memberIds, links, currentInGroup });
}

/** The group's users in switcher order (primary first), loaded with the membership. */
export async function groupMembers<User extends object>(ctx: Context): Promise<User[]> {
  await groupMembership(ctx);
  return loadedAccountsOf<User>(ctx).members!;
}

/** Per-tab selection: this request acts as account `index` of the group, if the acting account belongs to it. */
export async function selectAccount<User extends object>(ctx: Context, loaded: LoadedAccounts<User>, index: number): Promise<void> {
  const { currentInGroup, memberIds } = await groupMembership(ctx);
  const id = currentInGroup ? memberIds[index] : undefined;
  const member = id === undefined ? undefined : (await groupMembers<User>(ctx))[index];
  if (!member) ctx.throw(404, httpMessages.ACCOUNT_INDEX_UNKNOWN);
  Object.assign(loaded, { currentUser: member, selectedIndex: index });
  ctx.state.currentUser = member;
  loaded.options.identity.view?.(ctx, member);
}
