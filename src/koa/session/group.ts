import type { Context } from 'koa';
import type { GroupMembership } from './group-membership.ts';
import { accountsOf } from './request-accounts.ts';

/**
 * Who belongs to this session's group, and those users with their display fields: one statement (the links
 * with their linked users joined), once per request.
 */
export function groupMembership(ctx: Context): Promise<GroupMembership> {
  return accountsOf(ctx).membership();
}

/** The group's users in switcher order (primary first), loaded with the membership. */
export async function groupMembers<User extends object>(ctx: Context): Promise<User[]> {
  return (await accountsOf<User>(ctx).memberViews()).map(member => member.user);
}
