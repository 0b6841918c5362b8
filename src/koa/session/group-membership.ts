import { userIdOf } from '../../actions/arguments.ts';
import type { GroupLink, GroupMember } from '../../actions/group-query.ts';
import { WithLazyUser } from '../../actions/lazy-user.ts';
import type { MultiAccountPair } from '../../actions/multi-account-pair.ts';

export interface GroupMembership {
  /** The session's link group as ids: the primary first, then each active linked account, oldest link first. */
  memberIds: string[];
  /** The group's links as rows, in the order of `memberIds.slice(1)`. */
  links: GroupLink[];
  /** Whether the acting account belongs to the group (it may be signed in without being linked yet). */
  currentInGroup: boolean;
}

/** A member of the group as the switcher shows it: its properties as loaded, its entity made when first read. */
export interface MemberView<User extends object = object> {
  id: string;
  fields: Readonly<Record<string, unknown>>;
  readonly user: User;
}

/** The group of `primary` (its links, loaded with their users) as ids and as members to show. */
export function membershipOf<User extends object>(
  pair: MultiAccountPair,
  primary: User,
  current: User | null,
  group: GroupMember<User>[],
): { membership: GroupMembership; views: MemberView<User>[] } {
  const links = group.map(member => member.link);
  const memberIds = [String(userIdOf(pair, primary)), ...links.map(link => String(link.linkedUserId))];
  const currentId = current === null ? undefined : String(userIdOf(pair, current));
  // The acting account's entity is at hand already: no second one is made for it.
  const viewOf = (id: string, member: GroupMember<User>) =>
    id === currentId ? loadedView(id, current!) : new LazyMemberView(() => member.user, member.fields, id);
  const views = [
    loadedView(memberIds[0]!, primary),
    ...group.map((member, index) => viewOf(memberIds[index + 1]!, member)),
  ];
  const currentInGroup = currentId !== undefined && memberIds.includes(currentId);
  return { membership: { memberIds, links, currentInGroup }, views };
}

const loadedView = <User extends object>(id: string, user: User): MemberView<User> => ({
  id,
  fields: user as Record<string, unknown>,
  user,
});

/** A member's fields, and its entity only when read (spreading a view reads it). */
class LazyMemberView<User extends object> extends WithLazyUser<User> implements MemberView<User> {
  constructor(
    make: () => User,
    fields: Readonly<Record<string, unknown>>,
    readonly id: string,
  ) {
    super(make, fields);
  }
}
