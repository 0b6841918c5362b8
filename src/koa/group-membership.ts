import type { Context } from 'koa';
import { userIdOf } from '../actions/arguments.ts';
import { findUsersById } from '../actions/find-users.ts';
import { LinkedAccountActions } from '../actions/linked-account-actions.ts';
import { loadedAccountsOf, type GroupMembership, type LoadedAccounts } from './load-multi-account.ts';
import { httpMessages } from '../errors/http-messages.ts';

/** Who belongs to this session's group: one statement, once per request. */
export async function groupMembership(ctx: Context): Promise<GroupMembership> {
  const loaded = loadedAccountsOf(ctx);
  if (loaded.membership) return loaded.membership;
  const { pair, em, primaryUser, currentUser, sessionToken } = loaded;
  if (!primaryUser || !sessionToken) return (loaded.membership = { memberIds: [], links: [], currentInGroup: false });
  const primaryId = String(userIdOf(pair, primaryUser));
  const links = await new LinkedAccountActions(em, pair).groupLinks(primaryUser, sessionToken);
  const memberIds = [primaryId, ...links.map(link => String(link.linkedUserId))];
  const currentInGroup = currentUser !== null && memberIds.includes(String(userIdOf(pair, currentUser)));
  return (loaded.membership = { memberIds, links, currentInGroup });
}

/** The group's users in switcher order (primary first), loaded in one statement the first time a request asks. */
export async function groupMembers<User extends object>(ctx: Context): Promise<User[]> {
  const loaded = loadedAccountsOf<User>(ctx);
  if (!loaded.members) {
    const { memberIds } = await groupMembership(ctx);
    const users = await findUsersById<User>(loaded.em, loaded.pair, memberIds);
    loaded.members = memberIds.map(id => users.get(id)).filter((user): user is User => user !== undefined);
  }
  return loaded.members;
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
