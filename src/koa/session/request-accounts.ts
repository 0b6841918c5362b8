import type { EntityManager } from '@mikro-orm/core';
import type { Context } from 'koa';
import { passesActiveCheck } from '../../actions/active-check.ts';
import { userIdOf, type UserId } from '../../actions/arguments.ts';
import { type ActingAt, BrowserSessions, type BrowserSessionState } from '../../actions/browser-sessions.ts';
import type { SqlCondition } from '../../actions/sql/declare-statement.ts';
import { needsTouch } from '../../actions/expiry.ts';
import { LinkedAccountActions } from '../../actions/linked-account-actions.ts';
import { retryingTransaction } from '../../actions/retrying-transaction.ts';
import { multiAccountPair, type MultiAccountPair } from '../../actions/multi-account-pair.ts';
import { fireHook } from '../hooks.ts';
import type { ResolvedKoaOptions } from '../options.ts';
import {
  type CookieState,
  clearSession,
  cookieStateOf,
  renewSessionId,
  StaleSessionError,
  setCookieState,
} from './browser-session.ts';
import { keepNewestSessions } from '../../actions/account-sessions.ts';
import { deviceOf } from '../devices/device-label.ts';
import { addingOf, markAdding, markSignedInAgain } from './adding.ts';
import { needingSignInAgain } from './freshness.ts';
import { signOutEarlierAccounts } from './earlier-accounts.ts';
import { type FlashCode, putFlash } from './flash.ts';
import { type GroupMembership, type MemberView, membershipOf } from './group-membership.ts';
import { loadUsers, type LoadedUsers } from './load-users.ts';
import { requestEntityManager } from './request-entity-manager.ts';
import { requestsGroup } from './requested-accounts.ts';
import { sessionOf } from './session-keys.ts';
import { tabSlots } from './tab-slots.ts';

/** Set when the account that was acting could not go on (deactivated or deleted) and another took over. */
export interface AccountFallback {
  /** `refused`: the app turned the account away itself (koa-passport: its `deserializeUser` returned no user). */
  reason: 'inactive' | 'deleted' | 'refused';
  from: string;
  to: string;
}

/**
 * What a per-tab request's number named: the account acting in it, or nobody who may (and whom it named; with
 * `signInAgain`, a member past `reauthenticateAfter`, who may once signed in again).
 */
export type TabSelection = { acting: true } | { acting: false; named: string | undefined; signInAgain?: boolean };

// Kept on the context itself, under a symbol, as koa-session keeps its own: a WeakMap keyed by every request's
// context would cost the garbage collector work on each of them.
const ofRequest = Symbol('mikro-multi-account accounts');
type WithAccounts = Context & { [ofRequest]?: RequestAccounts };

/**
 * Who a request acts as, and the only writer of it: the acting account, the primary, the group, the browser
 * session's record and cookie state, revocation and fallback. Made once per request by the loader (see
 * `accountsOf`), it keeps `ctx.state` and the identity adapter's view in step with every change, as koa-session's
 * context object keeps `ctx.session`. Routes, the switcher and `putUserId`/`signOut` ask it.
 */
export class RequestAccounts<User extends object = object> {
  readonly options: ResolvedKoaOptions<User>;
  readonly pair: MultiAccountPair;
  readonly em: EntityManager;
  readonly #ctx: Context;
  readonly #records: BrowserSessions;
  #current: User | null = null;
  /** The session's acting account, when a `/u/N/` tab acts as another one (`select`). */
  #sessionCurrent: User | null = null;
  #primary: User | null = null;
  #browserSession: BrowserSessionState | undefined;
  #revoked = false;
  #adopted = false;
  #fallback: AccountFallback | undefined;
  #selectedIndex: number | undefined;
  #group: { membership: GroupMembership; views: MemberView<User>[] } | undefined;
  #loaded: LoadedUsers<User> | undefined;

  private constructor(ctx: Context, options: ResolvedKoaOptions<User>) {
    this.#ctx = ctx;
    this.options = options;
    this.em = requestEntityManager(ctx, options.em);
    this.pair = multiAccountPair(this.em, options.userEntity);
    this.#records = new BrowserSessions(this.em, this.pair.user.options.linkTtl);
  }

  /**
   * This request's accounts, identified once: later callers with the same user entity get the same object. With
   * `group`, the group's links and users come in the loader's one statement.
   */
  static async of<User extends object>(
    ctx: Context,
    options: ResolvedKoaOptions<User>,
    want: { group?: boolean } = {},
  ): Promise<RequestAccounts<User>> {
    const previous = (ctx as WithAccounts)[ofRequest] as RequestAccounts<User> | undefined;
    if (previous && previous.options.userEntity === options.userEntity) return previous;
    const accounts = new RequestAccounts(ctx, options);
    (ctx as WithAccounts)[ofRequest] = accounts;
    await accounts.#identify(want.group === true);
    return accounts;
  }

  /** The account acting now, or null when nobody is signed in. */
  get currentUser(): User | null {
    return this.#current;
  }

  /** The account that started the multi-account session; null in standard (single-account) mode. */
  get primaryUser(): User | null {
    return this.#primary;
  }

  /**
   * The account the browser session acts as: `currentUser`, except in a `/u/N/` tab acting as another one. A
   * change made from a tab leaves it acting, unless it is the account that leaves.
   */
  get sessionUser(): User | null {
    return this.#sessionCurrent ?? this.#current;
  }

  /** The multi-account session's token (its link group), when there is one. */
  get sessionToken(): string | undefined {
    return this.#primary ? this.#browserSession?.token : undefined;
  }

  /** The signed-in browser session this request's cookie carries, checked current against the server. */
  get browserSession(): BrowserSessionState | undefined {
    return this.#browserSession;
  }

  /** The cookie carries a browser session the server no longer honours: the request acts as nobody. */
  get revoked(): boolean {
    return this.#revoked;
  }

  get fallback(): AccountFallback | undefined {
    return this.#fallback;
  }

  /** The group index this request acts as, when chosen per tab (`/u/:index/…` or the selector header). */
  get selectedIndex(): number | undefined {
    return this.#selectedIndex;
  }

  /** The account a switch request names, loaded with the others by the loader's statement, if it exists. */
  get switchTarget(): User | undefined {
    return this.#loaded?.switchTarget;
  }

  idOf(user: unknown): string | undefined {
    const id = userIdOf(this.pair, user);
    return id === undefined ? undefined : String(id);
  }

  /** The primary "Add another account" adds to, while under way (set by the link route's `startAdding`). */
  get addingTo(): UserId | undefined {
    return userIdOf(this.pair, addingOf(sessionOf(this.#ctx), this.options.sessionKeys)?.to);
  }

  /** Who belongs to the group, and its members for display: one statement, once per request. */
  async membership(): Promise<GroupMembership> {
    return (await this.#loadGroup()).membership;
  }

  /** The group's members in switcher order (primary first); entities are made only when read. */
  async memberViews(): Promise<MemberView<User>[]> {
    return (await this.#loadGroup()).views;
  }

  /** Whether the app lets `user` act: its identity adapter's own check, such as passport's `deserializeUser`. */
  async appAccepts(user: User): Promise<boolean> {
    return (await this.options.identity.accepts?.(this.#ctx, user)) ?? true;
  }

  /** The app signed someone in its own way (passport's `ctx.login`): the identity holds them already. */
  async adoptAppSignIn(): Promise<void> {
    const id = this.options.identity.read(this.#ctx);
    if (id !== undefined) await this.signIn(id);
    await this.reload();
  }

  /**
   * Per-tab selection: this request acts as the account numbered `index` (see `tabSlots`) when the acting account
   * belongs to the group and that one still does and may act (its activeCheck, and the app's own check). Otherwise
   * nobody else acts: the answer names whom the number named, if anyone, for the loader to refuse the request.
   */
  async select(index: number): Promise<TabSelection> {
    const { currentInGroup } = await this.membership();
    const named = currentInGroup ? (await this.tabSlots())[index] : undefined;
    const member = (await this.memberViews()).find(view => view.id === named)?.user;
    if (!member || !passesActiveCheck(this.pair, member) || !(await this.appAccepts(member))) {
      return { acting: false, named };
    }
    if ((await needingSignInAgain(this, [{ id: named!, user: member }])).size > 0) {
      return { acting: false, named, signInAgain: true };
    }
    this.#sessionCurrent = this.#current;
    this.#current = member;
    this.#selectedIndex = index;
    this.#publish();
    return { acting: true };
  }

  /** The group's `/u/N/` numbers: the member numbered N is at index N (see `tabSlots`). */
  async tabSlots(): Promise<readonly string[]> {
    const { memberIds } = await this.membership();
    return tabSlots(sessionOf(this.#ctx), this.options.sessionKeys, memberIds);
  }

  /**
   * Signs `id` in: a new session id (the old one destroyed), a new server-side record, and nothing of the old
   * session but its message and the identity's own keys; every account signed in before is signed out (see
   * `signOutEarlierAccounts`). Except within "Add another account" (`startAdding`): when this cookie is its
   * session's current one, the record moves on and the group is kept, for the link route to confirm. A copy of
   * the cookie (planted, or left behind) can never carry the link on as well: only one request can move a
   * generation on. `user` is written through the identity adapter; without it the identity already holds `id`
   * (the app signed in its own way, or before the library was deployed).
   */
  async signIn(id: string, user?: object): Promise<void> {
    const { sessionKeys: keys, identity } = this.options;
    const session = sessionOf(this.#ctx);
    const previous = cookieStateOf(this.#ctx, keys);
    const primaryId = this.#storedPrimaryId();
    const adding = primaryId !== undefined && addingOf(session, keys)?.to === String(primaryId);
    let carried: BrowserSessionState | undefined;
    if (previous && adding) {
      carried = await this.#records.advance(previous.state, { acting: id, primary: String(primaryId) });
      if (carried) await this.#records.signedIn(carried.token, id);
      if (carried && addingOf(session, keys)?.again?.id === id) markSignedInAgain(session, keys);
    } else if (previous) await signOutEarlierAccounts(this.#helpers(), previous, primaryId, id);
    const next = carried ?? (await this.#records.start(id, deviceOf(this.#ctx, this.options)));
    await keepNewestSessions(this.em, id, this.options.devices.maxPerAccount, {
      userEntity: this.options.userEntity,
      keep: next.token,
    });
    const groupKeys = [keys.primaryUserId, keys.touchedAt, keys.adding, keys.tabSlots, keys.accountState];
    const kept = {
      ...Object.fromEntries(identity.sessionKeys.map(key => [key, session[key]])),
      [keys.flash]: session[keys.flash],
      ...(carried ? Object.fromEntries(groupKeys.map(key => [key, session[key]])) : { [keys.touchedAt]: Date.now() }),
    };
    clearSession(this.#ctx);
    for (const [key, value] of Object.entries(kept)) if (value !== undefined) session[key] = value;
    setCookieState(this.#ctx, keys, { state: next, acting: id, fresh: carried !== undefined });
    if (user) await identity.write(this.#ctx, id, user);
    await renewSessionId(this.#ctx, carried && { keys, generation: previous!.state.generation });
  }

  /** After a sign-in within this request: the rest of the request sees the new session. */
  async reload(): Promise<void> {
    this.#current = this.#sessionCurrent = this.#primary = null;
    this.#browserSession = this.#fallback = this.#selectedIndex = this.#group = this.#loaded = undefined;
    this.#revoked = this.#adopted = false;
    await this.#identify(false);
  }

  /**
   * A change of acting account or of the link group: the record moves on one generation (every older cookie
   * stops acting), `acting` becomes the signed-in account through the identity adapter, and the session id is
   * renewed. With `onlyIf`, only while that condition holds, checked in the same statement: false when it did
   * not. Throws `StaleSessionError` when another request moved the session on first.
   */
  async moveTo(actingId: string, acting: User, onlyIf?: SqlCondition): Promise<boolean> {
    const state = this.#browserSession;
    const next = state && (await this.#records.advance(state, this.#actingAt(actingId), onlyIf));
    return this.#settleMove(next, actingId, acting, onlyIf !== undefined);
  }

  /**
   * `moveTo` with a change of the group (`change`, given the transaction's entity manager) in one transaction: the
   * record's generation and the links move together or not at all, so an error in the middle (thrown on) leaves
   * the browser acting as before, with its cookie still current. `change` runs only when the session moved on.
   */
  async moveWithGroupChange(
    actingId: string,
    acting: User,
    change: (em: EntityManager) => Promise<void>,
    primaryId = this.idOf(this.#primary) ?? null,
  ): Promise<void> {
    const state = this.#browserSession;
    const ttl = this.pair.user.options.linkTtl;
    const next =
      state &&
      (await retryingTransaction(this.em, async em => {
        const moved = await new BrowserSessions(em, ttl).advance(state, { acting: actingId, primary: primaryId });
        if (moved) await change(em);
        return moved;
      }));
    await this.#settleMove(next, actingId, acting, false);
  }

  /**
   * Switches to `target`, a member of the group: the compare-and-set checks, in its own statement, that both
   * accounts still belong to it. When the loader's statement ran this very switch's compare-and-set already, it
   * is only settled. False when refused.
   */
  async switchTo(targetId: string, target: User): Promise<boolean> {
    const move = this.#loaded?.switchMove;
    const currentId = this.idOf(this.#current);
    if (move && move.from === currentId && move.to === targetId) {
      return this.#settleMove(move.next, targetId, target, true);
    }
    const primaryId = userIdOf(this.pair, this.#primary)!;
    const members = new LinkedAccountActions(this.em, this.pair).membersCondition(primaryId, this.sessionToken!, [
      currentId!,
      targetId,
    ]);
    return this.moveTo(targetId, target, members);
  }

  /** Ends the browser session: its record is deleted (every cookie of it stops acting) and the session emptied. */
  async end(): Promise<void> {
    const state = this.#browserSession ?? cookieStateOf(this.#ctx, this.options.sessionKeys)?.state;
    if (state) await this.#records.end(state);
    await this.options.identity.clear(this.#ctx);
    clearSession(this.#ctx);
    await renewSessionId(this.#ctx);
    this.#current = this.#sessionCurrent = this.#primary = null;
    this.#browserSession = undefined;
    this.#revoked = false;
    this.#publish();
  }

  /**
   * "Add another account", pressed while `fromId` acts: the next sign-in joins the group of `primaryId` (the link
   * route, before the sign-in page). Any other sign-in starts afresh. With `again`: "Sign in again" as that
   * account, then back to `returnTo`.
   */
  startAdding(primaryId: string, fromId: string, again?: { id: string; returnTo: string }): void {
    const session = sessionOf(this.#ctx);
    session[this.options.sessionKeys.primaryUserId] = primaryId;
    markAdding(session, this.options.sessionKeys, { to: primaryId, from: fromId, ...(again ? { again } : {}) });
  }

  /** When each of `userIds` last signed in on this browser session (missing: never, or before version 0.3). */
  async signedInAt(userIds: readonly string[]): Promise<Map<string, Date>> {
    const state = this.#browserSession;
    return state ? this.#records.signedInAt(state.token, userIds) : new Map();
  }

  /** A link was just made, fresh: the group needs no keep-alive touch for the next hour. */
  groupRefreshed(): void {
    sessionOf(this.#ctx)[this.options.sessionKeys.touchedAt] = Date.now();
  }

  /**
   * The primary leaves: the rest of its group goes to `heir`, the new primary, and `acting` acts (the heir, unless
   * another account stays acting) — the links and the session's generation in one transaction.
   */
  async handOverGroup(heirId: string, heir: User, acting: { id: string; user: User }): Promise<void> {
    const [from, token] = [this.#primary!, this.sessionToken!];
    await this.moveWithGroupChange(
      acting.id,
      acting.user,
      em => new LinkedAccountActions(em, this.pair).transferGroup(from, heirId, token),
      heirId,
    );
    sessionOf(this.#ctx)[this.options.sessionKeys.primaryUserId] = heirId;
    this.#primary = heir;
    this.#publish();
  }

  /**
   * Leaves a message for the next page (in its own cookie). Never for a revoked cookie: without `app.keys` the
   * message would go in that cookie's session, which must not be written back.
   */
  leaveMessage(code: FlashCode): void {
    if (!this.#revoked) putFlash(this.#ctx, code, this.options.sessionKeys);
  }

  // Identifying the request, step by step.

  /**
   * Who this request acts as: the identity's signed-in user, checked against the cookie and its browser
   * session's record in the loader's one statement; a revoked cookie acts as nobody, an account gone hands over.
   */
  async #identify(withGroup: boolean): Promise<void> {
    const signedIn = this.options.identity.read(this.#ctx);
    const cookie = cookieStateOf(this.#ctx, this.options.sessionKeys);
    if (signedIn === undefined) await this.#signedOutByApp(cookie);
    else await this.#signedIn(signedIn, cookie, withGroup || requestsGroup(this.#ctx, this.options));
    this.#publish();
  }

  /**
   * The identity says nobody while the cookie says who was acting: the app signed out its own way, or it
   * refused to load a deactivated or deleted account (passport's deserializer). That account tells which.
   */
  async #signedOutByApp(cookie: CookieState | undefined): Promise<void> {
    const actingId = cookie && userIdOf(this.pair, cookie.acting);
    if (actingId !== undefined) {
      await this.#loadSession(actingId, cookie!.state, { signedOutByApp: true, fresh: cookie!.fresh });
    } else if (cookie) await this.end();
  }

  async #signedIn(signedIn: string, cookie: CookieState | undefined, withGroup: boolean): Promise<void> {
    const currentId = userIdOf(this.pair, signedIn);
    if (currentId === undefined) return; // no user could have that id: nobody, and nothing to adopt
    if (!cookie || cookie.acting !== signedIn) {
      // Signed in without `putUserId` (before the library was deployed, or by `ctx.login()`): adopt it.
      await this.signIn(signedIn);
      cookie = cookieStateOf(this.#ctx, this.options.sessionKeys)!;
    }
    await this.#loadSession(currentId, cookie.state, { withGroup, fresh: cookie.fresh });
  }

  async #loadSession(
    currentId: UserId,
    state: BrowserSessionState,
    // `fresh`: the cookie came from a change and is presented for the first time (see `#presented`).
    { signedOutByApp = false, withGroup = false, fresh = false },
  ): Promise<void> {
    const primaryId = this.#storedPrimaryId();
    const loader = { options: this.options, pair: this.pair, em: this.em, records: this.#records };
    const loaded = await loadUsers<User>(this.#ctx, loader, { currentId, primaryId, state, withGroup });
    this.#loaded = loaded;
    const current = loaded.users.get(String(currentId));
    const primary = primaryId === undefined ? undefined : loaded.users.get(String(primaryId));
    if (await this.#cookieRevoked(state, current, primaryId !== undefined && !primary)) {
      // Only a page load adopts: a POST that comes with it is a double click's loser as often as a lost answer's
      // next step, and a loser must not write its cookie over the winner's.
      const safe = this.#ctx.method === 'GET' || this.#ctx.method === 'HEAD';
      if (safe && !this.#adopted && !signedOutByApp) await this.#adoptNewer(state, withGroup);
      return;
    }
    this.#browserSession = state;
    if (fresh && !this.#adopted) await this.#presented(state);
    if (loaded.switchMove?.next) await this.#keepActingAt(loaded.switchMove.next);
    // Signed out by the app with the account still fine: the app signed out its own way, unless the app itself
    // refuses the account (passport's deserializer turned it away): then the group goes on without it.
    const refused = signedOutByApp && current !== undefined && passesActiveCheck(this.pair, current);
    if (refused && (await this.appAccepts(current!))) return this.end();
    const groupOver = this.#checkPrimary(primaryId, primary);
    if (current && !refused && passesActiveCheck(this.pair, current)) {
      this.#current = current;
      if (loaded.group && this.#primary) this.#recordGroup(loaded.group);
    } else {
      const reason = refused ? 'refused' : current ? 'inactive' : 'deleted';
      await this.#fallBack(primaryId, { reason, from: String(currentId) }, loaded.users);
    }
    // Once a fallback has found its way through it, a group whose primary went is deleted: a later group of this
    // browser session (the same token) must never find its rows.
    if (groupOver) await new LinkedAccountActions(this.em, this.pair).destroyGroup(primaryId!, state.token);
    await this.#keepAlive();
  }

  /**
   * A lost answer: the cookie is the generation just before the current one, whose answer the browser may never
   * have got. While the record still accepts it (the newest not presented yet), the page load takes on who acts
   * there and its primary, and its answer carries a cookie of that generation, with a new session id.
   */
  async #adoptNewer(state: BrowserSessionState, withGroup: boolean): Promise<void> {
    const newer = await this.#records.newer(state);
    const actingId = newer && userIdOf(this.pair, newer.acting);
    if (!newer || actingId === undefined) return;
    const keys = this.options.sessionKeys;
    const session = sessionOf(this.#ctx);
    setCookieState(this.#ctx, keys, { state: newer.state, acting: newer.acting, fresh: true });
    if (newer.primary === null) delete session[keys.primaryUserId];
    else session[keys.primaryUserId] = newer.primary;
    [this.#revoked, this.#adopted] = [false, true];
    await this.#loadSession(actingId, newer.state, { withGroup });
    // A fallback on the way wrote its own account already.
    if (this.#current && this.idOf(this.#current) === newer.acting) {
      await this.options.identity.write(this.#ctx, newer.acting, this.#current);
    }
    await renewSessionId(this.#ctx);
  }

  /** The first request with a cookie a change issued: from now on the generation before it acts no more. */
  async #presented(state: BrowserSessionState): Promise<void> {
    await this.#records.presented(state);
    const cookie = cookieStateOf(this.#ctx, this.options.sessionKeys);
    if (cookie) setCookieState(this.#ctx, this.options.sessionKeys, { state: cookie.state, acting: cookie.acting });
  }

  /** Who acts at the next generation when `actingId` does: what a cookie of this one adopts, if it comes back. */
  #actingAt(actingId: string): ActingAt {
    return { acting: actingId, primary: this.idOf(this.#primary) ?? null };
  }

  #storedPrimaryId(): UserId | undefined {
    const stored = sessionOf(this.#ctx)[this.options.sessionKeys.primaryUserId];
    return stored === undefined ? undefined : userIdOf(this.pair, stored);
  }

  /** Rows missing: accounts deleted, or (the statement checked it) this cookie revoked. Only then ask which. */
  async #cookieRevoked(state: BrowserSessionState, current: User | undefined, primaryMissing: boolean) {
    if ((current && !primaryMissing) || (await this.#records.isCurrent(state))) return false;
    this.#revoked = true;
    return true;
  }

  /**
   * The primary stays while it passes the activeCheck; otherwise the session no longer names it. True when it
   * named one: that group is over.
   */
  #checkPrimary(primaryId: UserId | undefined, primary: User | undefined): boolean {
    if (primary && passesActiveCheck(this.pair, primary)) this.#primary = primary;
    else delete sessionOf(this.#ctx)[this.options.sessionKeys.primaryUserId];
    return primaryId !== undefined && this.#primary === null;
  }

  /**
   * The loader's statement moved the session on before the route decides: the cookie takes the new generation
   * at once, acting as before, so whatever the rest of the request does, the browser keeps a current cookie and
   * nobody else acts. In an external store the session id is renewed too: a copy of the old cookie names the old
   * key, which must not carry the new generation.
   */
  async #keepActingAt(next: BrowserSessionState): Promise<void> {
    const { sessionKeys: keys } = this.options;
    const acting = cookieStateOf(this.#ctx, keys)?.acting;
    if (acting !== undefined) setCookieState(this.#ctx, keys, { state: next, acting, fresh: true });
    this.#browserSession = next;
    await renewSessionId(this.#ctx, { keys, generation: next.generation - 1 });
  }

  /**
   * The acting account was deactivated or deleted: the next account of the group (the primary first, or, when
   * the primary is the one gone, the oldest linked account) takes over, and the app is told why. With nobody
   * left, the browser session ends.
   */
  async #fallBack(primaryId: UserId | undefined, why: Omit<AccountFallback, 'to'>, loaded: Map<string, User>) {
    const group =
      primaryId === undefined
        ? []
        : await new LinkedAccountActions<User>(this.em, this.pair).groupWithUsers(
            primaryId,
            this.#browserSession!.token,
          );
    const linkedIds = group.map(member => String(member.link.linkedUserId));
    // An account signed in to be added that may not act: back to the one that pressed "Add another account".
    const session = sessionOf(this.#ctx);
    const adding = addingOf(session, this.options.sessionKeys);
    const starter = adding && adding.from !== why.from ? [adding.from] : [];
    let to: string | undefined;
    let next: User | undefined;
    for (const id of new Set([...starter, ...(this.#primary ? [String(primaryId)] : []), ...linkedIds])) {
      const user = loaded.get(id) ?? group[linkedIds.indexOf(id)]?.user;
      if (id === why.from || !user || !passesActiveCheck(this.pair, user) || !(await this.appAccepts(user))) continue;
      [to, next] = [id, user];
      break;
    }
    if (to === undefined || !next) return this.end();
    try {
      await this.moveTo(to, next);
    } catch (error) {
      if (!(error instanceof StaleSessionError)) throw error;
      this.#revoked = true; // a parallel request of this browser fell back first
      return;
    }
    this.#fallback = { ...why, to };
    if (adding) delete session[this.options.sessionKeys.adding];
    if (to === adding?.from) this.leaveMessage('LINK_INACTIVE');
    else this.leaveMessage(why.reason === 'deleted' ? 'FALLBACK_DELETED' : 'FALLBACK_INACTIVE');
    await fireHook(this.options.onSwitch, { ctx: this.#ctx, who: why.from, whom: to, reason: 'fallback' });
  }

  /**
   * Any request of a signed-in session counts as use: at most once an hour per session (the session remembers
   * when) its record and its group's links are refreshed so they do not expire.
   */
  async #keepAlive(): Promise<void> {
    const session = sessionOf(this.#ctx);
    const touchedAt = this.options.sessionKeys.touchedAt;
    if (!this.#browserSession || !needsTouch(this.pair, new Date(Number(session[touchedAt])))) return;
    await this.#records.touch(this.#browserSession);
    if (this.#primary && this.sessionToken) {
      await new LinkedAccountActions(this.em, this.pair).touchGroup(this.#primary, this.sessionToken);
    }
    session[touchedAt] = Date.now();
  }

  // Changes and what the rest of the request sees of them.

  /**
   * The rest of `moveTo` once its compare-and-set ran (there, or in the loader's statement): `next` is the new
   * generation, or undefined when refused — then false if it was the condition (the cookie still current), else
   * `StaleSessionError`.
   */
  async #settleMove(next: BrowserSessionState | undefined, actingId: string, acting: User, conditional: boolean) {
    if (!next) {
      const state = this.#browserSession;
      if (state && conditional && (await this.#records.isCurrent(state))) return false;
      throw new StaleSessionError();
    }
    const keys = this.options.sessionKeys;
    setCookieState(this.#ctx, keys, { state: next, acting: actingId, fresh: true });
    await this.options.identity.write(this.#ctx, actingId, acting);
    await renewSessionId(this.#ctx, { keys, generation: next.generation - 1 });
    this.#browserSession = next;
    this.#current = acting;
    this.#sessionCurrent = null;
    this.#publish();
    return true;
  }

  async #loadGroup(): Promise<{ membership: GroupMembership; views: MemberView<User>[] }> {
    if (this.#group) return this.#group;
    const primaryId = userIdOf(this.pair, this.#primary);
    const token = this.sessionToken;
    if (primaryId === undefined || !token) {
      return (this.#group = { membership: { memberIds: [], links: [], currentInGroup: false }, views: [] });
    }
    return this.#recordGroup(await new LinkedAccountActions<User>(this.em, this.pair).groupWithUsers(primaryId, token));
  }

  #recordGroup(group: NonNullable<LoadedUsers<User>['group']>) {
    return (this.#group = membershipOf(this.pair, this.#primary!, this.#current, group));
  }

  #helpers() {
    return { ctx: this.#ctx, options: this.options, pair: this.pair, em: this.em, records: this.#records };
  }

  /** What the rest of the request sees: `ctx.state` and the app's own view of the signed-in user. */
  #publish(): void {
    const state = this.#ctx.state;
    state.currentUser = this.#current;
    state.primaryUser = this.#primary;
    if (this.#fallback) state.multiAccountFallback = this.#fallback;
    this.options.identity.view?.(this.#ctx, this.#current);
  }
}

/** The accounts of this request, when the loader has run. */
export function accountsIfLoaded<User extends object>(ctx: Context): RequestAccounts<User> | undefined {
  return (ctx as WithAccounts)[ofRequest] as RequestAccounts<User> | undefined;
}

/** The accounts of this request; the loader must have run. */
export function accountsOf<User extends object>(ctx: Context): RequestAccounts<User> {
  const accounts = (ctx as WithAccounts)[ofRequest] as RequestAccounts<User> | undefined;
  if (!accounts) {
    throw new Error('mikro-multi-account: the loadMultiAccount middleware must run earlier in the request.');
  }
  return accounts;
}
