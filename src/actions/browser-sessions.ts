import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { MultiAccountSession } from '../transformers/browser-session-entity.ts';
import { MultiAccountSessionAccount } from '../transformers/session-account-entity.ts';
import { isUuid } from './arguments.ts';
import type { BoundSql, SqlCondition } from './sql/declare-statement.ts';
import { browserSessionAdvance, browserSessionCurrent, currentSession } from './sql/statements/browser-session.ts';

/** What a cookie holds of its browser session: which record, and which generation of it. */
export interface BrowserSessionState {
  token: string;
  generation: number;
}

/** What a browser session shows of itself in the list of a person's devices (see `listBrowserSessions`). */
export interface DeviceInfo {
  /** Browser and system, such as "Firefox on Linux". */
  device?: string | null;
  /** Only when the app asks for it. */
  ipAddress?: string | null;
}

/** Who acts at a generation, and its group's primary (null: none). */
export interface ActingAt {
  acting: string;
  primary: string | null;
}

/**
 * The server-side records of signed-in browser sessions. Every change is a compare-and-set on the generation,
 * so of two requests carrying the same cookie only one can move the session on, and every older cookie stops
 * acting at once, on every instance, whatever the session store — but one: the cookie of the generation just
 * before, until the browser has presented the newest (`newer`, `presented`), so that a lost answer does not sign
 * the browser out. Expired records count as revoked; `prune` deletes them.
 */
export class BrowserSessions {
  readonly #em: EntityManager;
  readonly #ttl: number;

  constructor(em: EntityManager, ttl: number) {
    this.#em = em;
    this.#ttl = ttl;
  }

  /** A new signed-in browser session, at generation 1, `acting` signed in. */
  async start(acting: string, { device = null, ipAddress = null }: DeviceInfo = {}): Promise<BrowserSessionState> {
    const state = { token: randomUUID(), generation: 1 };
    const now = new Date();
    await this.#em.transactional(async em => {
      await em.insert(MultiAccountSession, {
        id: state.token,
        generation: state.generation,
        previousAccepted: false,
        actingId: acting,
        primaryId: null,
        expiresAt: this.#expiry(),
        createdAt: now,
        lastUsedAt: now,
        device: device?.slice(0, 100) ?? null,
        ipAddress: ipAddress?.slice(0, 45) ?? null,
      });
      await new BrowserSessions(em, this.#ttl).signedIn(state.token, acting, now);
    });
    return state;
  }

  /** `userId` proved itself on this browser session (signed in to it, or again): noted with the time. */
  async signedIn(token: string, userId: string, at = new Date()): Promise<void> {
    await this.#em.upsert(MultiAccountSessionAccount, { session: token, userId, signedInAt: at } as never, {
      onConflictFields: ['session', 'userId'],
      onConflictAction: 'merge',
      onConflictMergeFields: ['signedInAt'],
    });
  }

  /**
   * Moves the session on by one generation, if `state` is still its current one and `onlyIf` (a condition on
   * other tables, checked in the same statement) holds; undefined when it did not. The expiry is left to
   * `touch` (the loader's hourly keep-alive): changing no indexed column, the update stays in place on
   * PostgreSQL (a HOT update) and writes no index entry anywhere.
   */
  async advance(
    state: BrowserSessionState,
    next: ActingAt,
    onlyIf?: SqlCondition,
  ): Promise<BrowserSessionState | undefined> {
    const { affectedRows } = await browserSessionAdvance.run(this.#em, this.#advanceValues(state, next, onlyIf));
    return affectedRows === 1 ? { token: state.token, generation: state.generation + 1 } : undefined;
  }

  /** `advance`'s statement, not run: to run as part of another (see `findUsersAndAdvance`). */
  advanceStatement(
    state: BrowserSessionState,
    acting: ActingAt,
    onlyIf?: SqlCondition,
  ): BoundSql & { next: BrowserSessionState } {
    const next = { token: state.token, generation: state.generation + 1 };
    return { ...browserSessionAdvance.bind(this.#em, this.#advanceValues(state, acting, onlyIf)), next };
  }

  /**
   * A lost answer: `state` is the generation just before the current one, whose cookie has not been presented yet
   * (the answer that carried it may never have arrived). Then the current generation, with who acts there, for
   * the cookie to adopt; otherwise undefined — every older cookie, and this one once the newer was presented.
   */
  async newer(state: BrowserSessionState): Promise<({ state: BrowserSessionState } & ActingAt) | undefined> {
    const next = { token: state.token, generation: state.generation + 1 };
    const record = await this.#em.findOne(
      MultiAccountSession,
      { ...this.#current(next), previousAccepted: true },
      { fields: ['actingId', 'primaryId'], disableIdentityMap: true },
    );
    return record?.actingId ? { state: next, acting: record.actingId, primary: record.primaryId } : undefined;
  }

  /** When each of `userIds` last signed in on this browser session (missing: never, or before version 0.3). */
  async signedInAt(token: string, userIds: readonly string[]): Promise<Map<string, Date>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.#em.find(
      MultiAccountSessionAccount,
      { session: token, userId: { $in: [...userIds] } },
      { fields: ['userId', 'signedInAt'], disableIdentityMap: true },
    );
    return new Map(rows.map(row => [row.userId, row.signedInAt]));
  }

  /** A cookie of the current generation was presented: from now on no cookie of the one before acts. */
  async presented(state: BrowserSessionState): Promise<void> {
    await this.#em.nativeUpdate(
      MultiAccountSession,
      { ...this.#current(state), previousAccepted: true },
      { previousAccepted: false },
    );
  }

  /** Ends the session, if `state` is still its current one: every cookie of it stops acting. */
  async end(state: BrowserSessionState): Promise<boolean> {
    return (await this.#em.nativeDelete(MultiAccountSession, this.#current(state))) === 1;
  }

  async isCurrent(state: BrowserSessionState): Promise<boolean> {
    return (await this.#em.count(MultiAccountSession, this.#current(state))) === 1;
  }

  /** Keeps a session in use from expiring, and notes its last use (callers decide how often). */
  async touch(state: BrowserSessionState): Promise<void> {
    const update = { expiresAt: this.#expiry(), lastUsedAt: new Date() };
    await this.#em.nativeUpdate(MultiAccountSession, this.#current(state), update);
  }

  /**
   * A condition for any query's `where` that holds only while `state` is current: the per-request check rides
   * along with the query that loads the users, so it costs no statement of its own.
   */
  currentCondition(state: BrowserSessionState): SqlCondition {
    return browserSessionCurrent.bind(this.#em, { token: state.token, generation: state.generation, now: new Date() });
  }

  #current(state: BrowserSessionState) {
    return currentSession({ token: state.token, generation: state.generation, now: new Date() });
  }

  #advanceValues({ token, generation }: BrowserSessionState, next: ActingAt, onlyIf: SqlCondition | undefined) {
    const acting = { actingId: next.acting, primaryId: next.primary };
    return { token, generation, now: new Date(), nextGeneration: generation + 1, ...acting, onlyIf };
  }

  #expiry(): Date {
    return new Date(Date.now() + this.#ttl);
  }
}

/** A session value that could be a browser-session state (it may come from a cookie we did not write). */
export function browserSessionStateOf(token: unknown, generation: unknown): BrowserSessionState | undefined {
  return isUuid(token) && Number.isSafeInteger(generation) && (generation as number) > 0
    ? { token, generation: generation as number }
    : undefined;
}
