import { randomUUID } from 'node:crypto';
import { raw, type EntityManager } from '@mikro-orm/core';
import { MultiAccountSession } from '../transformers/browser-session-entity.ts';
import { isUuid } from './arguments.ts';
import { compiledQuery, type SqlCondition } from './compiled-sql.ts';
import { runStatement } from './run-statement.ts';
import { sqlEntityManager } from './sql-entity-manager.ts';

const currentSentinels = ['00000000-0000-4000-8000-00000000cafe', 2_147_483_001, new Date(1)];

/** What a cookie holds of its browser session: which record, and which generation of it. */
export interface BrowserSessionState {
  token: string;
  generation: number;
}

/**
 * The server-side records of signed-in browser sessions. Every change is a compare-and-set on the generation,
 * so of two requests carrying the same cookie only one can move the session on, and every older cookie stops
 * acting at once, on every instance, whatever the session store. Expired records count as revoked; `prune`
 * deletes them.
 */
export class BrowserSessions {
  readonly #em: EntityManager;
  readonly #ttl: number;

  constructor(em: EntityManager, ttl: number) {
    this.#em = em;
    this.#ttl = ttl;
  }

  /** A new signed-in browser session, at generation 1. */
  async start(): Promise<BrowserSessionState> {
    const state = { token: randomUUID(), generation: 1 };
    await this.#em.insert(MultiAccountSession, {
      id: state.token,
      generation: state.generation,
      expiresAt: this.#expiry(),
    });
    return state;
  }

  /**
   * Moves the session on by one generation, if `state` is still its current one and `onlyIf` (a condition on
   * other tables, checked in the same statement) holds; undefined when it did not. The expiry is left to
   * `touch` (the loader's hourly keep-alive): changing no indexed column, the update stays in place on
   * PostgreSQL (a HOT update) and writes no index entry anywhere.
   */
  async advance(state: BrowserSessionState, onlyIf?: SqlCondition): Promise<BrowserSessionState | undefined> {
    const { next, ...statement } = this.advanceStatement(state, onlyIf);
    const { affectedRows } = await runStatement(this.#em, statement, 'run');
    return affectedRows === 1 ? next : undefined;
  }

  /** `advance`'s statement, not run: to run as part of another (see `findUsersAndAdvance`). */
  advanceStatement(
    state: BrowserSessionState,
    onlyIf?: SqlCondition,
  ): { sql: string; params: unknown[]; next: BrowserSessionState } {
    const next = { token: state.token, generation: state.generation + 1 };
    const conditionParams = onlyIf?.params ?? [];
    const build = ([token, generation, now, nextGeneration, ...params]: readonly unknown[]) =>
      sqlEntityManager(this.#em)
        .createQueryBuilder(MultiAccountSession)
        .update({ generation: nextGeneration })
        .where({
          ...this.#current({ token, generation } as BrowserSessionState, now as Date),
          ...(onlyIf ? { [raw(onlyIf.sql, params)]: [] } : {}),
        })
        .toQuery();
    const sentinels = [...currentSentinels, 2_147_483_002, ...conditionParams.map(() => ({}))];
    const values = [state.token, state.generation, new Date(), next.generation, ...conditionParams];
    return {
      ...compiledQuery(this.#em, `browser-session-advance ${onlyIf?.key ?? ''}`, sentinels, build, values),
      next,
    };
  }

  /** Ends the session, if `state` is still its current one: every cookie of it stops acting. */
  async end(state: BrowserSessionState): Promise<boolean> {
    return (await this.#em.nativeDelete(MultiAccountSession, this.#current(state))) === 1;
  }

  async isCurrent(state: BrowserSessionState): Promise<boolean> {
    return (await this.#em.count(MultiAccountSession, this.#current(state))) === 1;
  }

  /** Keeps a session in use from expiring (callers decide how often). */
  async touch(state: BrowserSessionState): Promise<void> {
    await this.#em.nativeUpdate(MultiAccountSession, this.#current(state), { expiresAt: this.#expiry() });
  }

  /**
   * A condition for any query's `where` that holds only while `state` is current: the per-request check rides
   * along with the query that loads the users, so it costs no statement of its own.
   */
  currentCondition(state: BrowserSessionState): SqlCondition {
    const build = ([token, generation, now]: readonly unknown[]) =>
      sqlEntityManager(this.#em)
        .createQueryBuilder(MultiAccountSession, 'mma_session')
        .select(raw('1'))
        .where(this.#current({ token, generation } as BrowserSessionState, now as Date))
        .toQuery();
    const values = [state.token, state.generation, new Date()];
    const { sql, params } = compiledQuery(this.#em, 'browser-session-current', currentSentinels, build, values);
    return { key: 'browser-session-current', sql: `exists (${sql})`, params };
  }

  #current(state: BrowserSessionState, now = new Date()) {
    return { id: state.token, generation: state.generation, expiresAt: { $gt: now } };
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
