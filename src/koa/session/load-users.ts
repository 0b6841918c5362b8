import type { Context } from 'koa';
import { userIdOf, type UserId } from '../../actions/arguments.ts';
import type { BrowserSessionState } from '../../actions/browser-sessions.ts';
import type { BrowserSessions } from '../../actions/browser-sessions.ts';
import { findUsersById } from '../../actions/find-users.ts';
import type { GroupMember } from '../../actions/group-query.ts';
import { LinkedAccountActions } from '../../actions/linked-account-actions.ts';
import { findUsersAndAdvance } from '../../actions/users-and-advance.ts';
import { findUsersAndGroup } from '../../actions/users-and-group.ts';
import type { ResolvedKoaOptions } from '../options.ts';
import { type CsrfTokenReading, csrfTokenAtHand } from './csrf-tokens.ts';
import { requestedSwitchTarget } from './requested-accounts.ts';
import type { EntityManager } from '@mikro-orm/core';
import type { MultiAccountPair } from '../../actions/multi-account-pair.ts';

/** What the loader's one statement brought. */
export interface LoadedUsers<User extends object> {
  /** The acting account, the primary and a switch's target, keyed by id as a string. */
  users: Map<string, User>;
  /** The group's links with their users, when the request needs them. */
  group?: GroupMember<User>[];
  /** The account a switch request names, if it exists. */
  switchTarget?: User;
  /**
   * Set when the statement also ran the switch's compare-and-set (PostgreSQL, a valid CSRF token at hand): from
   * whom, to whom, and the generation it moved the session on to (undefined: it did not).
   */
  switchMove?: { from: string; to: string; next?: BrowserSessionState };
}

/** A valid token, made for `account` or for no account in particular (koa-csrf's). */
const madeFor = (reading: CsrfTokenReading | undefined, account: string) =>
  reading !== undefined && (reading.account === undefined || reading.account === account);

interface Loader {
  readonly options: ResolvedKoaOptions;
  readonly pair: MultiAccountPair;
  readonly em: EntityManager;
  /** The browser-session records, as the owner of the request's accounts holds them. */
  readonly records: BrowserSessions;
}

/**
 * The users a request needs, with the check that its cookie is still its browser session's current one, in one
 * statement whatever the number of links: the acting account and the primary; the account a switch names (on
 * PostgreSQL, with that switch's compare-and-set, when its CSRF token is at hand: nobody acts as the target until
 * the route has checked everything else); and, `withGroup`, the group.
 */
export async function loadUsers<User extends object>(
  ctx: Context,
  { options, pair, em, records: sessions }: Loader,
  {
    currentId,
    primaryId,
    state,
    withGroup,
  }: {
    currentId: UserId;
    primaryId: UserId | undefined;
    state: BrowserSessionState;
    withGroup: boolean;
  },
): Promise<LoadedUsers<User>> {
  const requestedTarget = requestedSwitchTarget(ctx, options);
  const targetId = requestedTarget === undefined ? undefined : userIdOf(pair, requestedTarget);
  const ids = [primaryId, currentId, targetId].filter((id): id is UserId => id !== undefined);
  const condition = sessions.currentCondition(state);
  const rideAlong =
    targetId !== undefined &&
    primaryId !== undefined &&
    !withGroup &&
    String(targetId) !== String(currentId) &&
    madeFor(csrfTokenAtHand(ctx), String(currentId));
  const advance = rideAlong
    ? sessions.advanceStatement(
        state,
        // The route has not decided yet: a lost answer's cookie adopts the account acting before, never the target.
        { acting: String(currentId), primary: String(primaryId) },
        new LinkedAccountActions(em, pair).membersCondition(primaryId, state.token, [currentId, targetId]),
      )
    : undefined;
  const moved = advance ? await findUsersAndAdvance<User>(em, pair, ids, condition, advance) : null;
  const both =
    !moved && withGroup && primaryId !== undefined
      ? await findUsersAndGroup<User>(em, pair, ids, { primaryId, sessionToken: state.token }, condition)
      : null;
  const users = moved?.users ?? both?.users ?? (await findUsersById<User>(em, pair, ids, condition));
  return {
    users,
    ...(both ? { group: both.group } : {}),
    ...(targetId === undefined ? {} : { switchTarget: users.get(String(targetId)) }),
    ...(moved
      ? {
          switchMove: {
            from: String(currentId),
            to: String(targetId),
            ...(moved.advanced ? { next: advance!.next } : {}),
          },
        }
      : {}),
  };
}
