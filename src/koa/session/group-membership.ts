import type { Context } from 'koa';
import { userIdOf } from '../../actions/arguments.ts';
import type { GroupMember } from '../../actions/group-query.ts';
import { WithLazyUser } from '../../actions/lazy-user.ts';
import { LinkedAccountActions } from '../../actions/linked-account-actions.ts';
import { loadedAccountsOf, type GroupMembership, type LoadedAccounts } from '../middleware/load-accounts.ts';
import { httpMessages } from '../../errors/http-messages.ts';

/** A member of the group as the switcher shows it: its properties as loaded, its entity made when first read. */
export interface MemberView<User extends object = object> {
  id: string;
  fields: Readonly<Record<string, unknown>>;
  readonly user: User;
}

/**
 * Who belongs to this session's group, and those users with their display fields: one statement (the links
 * with their linked users joined), once per request.
 */
export async function groupMembership(ctx: Context): Promise<GroupMembership> {
  const loaded = loadedAccountsOf(ctx);
  if (loaded.membership) return loaded.membership;
  const { pair, em, primaryUser, sessionToken } = loaded;
  if (!primaryUser || !sessionToken) {
    loaded.memberViews = [];
    return (loaded.membership = { memberIds: [], links: [], currentInGroup: false });
  }
  const group = await new LinkedAccountActions(em, pair).groupWithUsers(userIdOf(pair, primaryUser)!, sessionToken);
  return recordMembership(loaded, group);
}

/** Records the group of this request's primary and session (loaded by the loader's statement, or above). */
export function recordMembership(loaded: LoadedAccounts, group: GroupMember[]): GroupMembership {
  const { pair, primaryUser, currentUser } = loaded;
  const links = group.map(member => member.link);
  const memberIds = [String(userIdOf(pair, primaryUser!)), ...links.map(link => String(link.linkedUserId))];
  const currentId = currentUser === null ? undefined : String(userIdOf(pair, currentUser));
  // The acting account's entity is at hand already: no second one is made for it.
  const viewOf = (id: string, member: GroupMember) =>
    id === currentId ? loadedView(id, currentUser!) : lazyView(id, member);
  loaded.memberViews = [
    loadedView(memberIds[0]!, primaryUser!),
    ...group.map((member, index) => viewOf(memberIds[index + 1]!, member)),
  ];
  return (loaded.membership = {
    memberIds,
    links,
    currentInGroup: currentId !== undefined && memberIds.includes(currentId),
  });
}

/** The group's members in switcher order (primary first) for display: entities are made only when read. */
export async function groupMemberViews<User extends object>(ctx: Context): Promise<MemberView<User>[]> {
  await groupMembership(ctx);
  return loadedAccountsOf<User>(ctx).memberViews as MemberView<User>[];
}

/** The group's users in switcher order (primary first), loaded with the membership. */
export async function groupMembers<User extends object>(ctx: Context): Promise<User[]> {
  return (await groupMemberViews<User>(ctx)).map(member => member.user);
}

const loadedView = <User extends object>(id: string, user: User): MemberView<User> => ({
  id,
  fields: user as Record<string, unknown>,
  user,
});

/** A member's fields, and its entity only when read (spreading a view reads it). */
function lazyView<User extends object>(id: string, member: GroupMember<User>): MemberView<User> {
  return new LazyMemberView(() => member.user, member.fields, id);
}

/** Per-tab selection: this request acts as account `index` of the group, if the acting account belongs to it. */
export async function selectAccount<User extends object>(
  ctx: Context,
  loaded: LoadedAccounts<User>,
  index: number,
): Promise<void> {
  const { currentInGroup, memberIds } = await groupMembership(ctx);
  const id = currentInGroup ? memberIds[index] : undefined;
  const member = id === undefined ? undefined : (await groupMemberViews<User>(ctx))[index]?.user;
  if (!member) ctx.throw(404, httpMessages.ACCOUNT_INDEX_UNKNOWN);
  Object.assign(loaded, { currentUser: member, selectedIndex: index });
  ctx.state.currentUser = member;
  loaded.options.identity.view?.(ctx, member);
}

class LazyMemberView<User extends object> extends WithLazyUser<User> implements MemberView<User> {
  constructor(
    make: () => User,
    fields: Readonly<Record<string, unknown>>,
    readonly id: string,
  ) {
    super(make, fields);
  }
}
