import { raw } from '@mikro-orm/core';
import { MultiAccountSession } from '../../../transformers/browser-session-entity.ts';
import { sqlEntityManager } from '../../sql-entity-manager.ts';
import { declareStatement, type SqlCondition } from '../declare-statement.ts';

export interface CurrentSessionValues {
  token: string;
  generation: number;
  now: Date;
}

/** The `where` of a browser-session record still at this generation and not expired. */
export function currentSession({ token, generation, now }: CurrentSessionValues) {
  return { id: token, generation, expiresAt: { $gt: now } };
}

/** A condition that holds while the browser session is current, to ride along in another statement. */
export const browserSessionCurrent = declareStatement<CurrentSessionValues>({
  name: 'browser-session-current',
  parameters: { token: 'value', generation: 'value', now: 'value' },
  build(em, values) {
    const { sql, params } = sqlEntityManager(em)
      .createQueryBuilder(MultiAccountSession, 'mma_session')
      .select(raw('1'))
      .where(currentSession(values))
      .toQuery();
    return { sql: `exists (${sql})`, params };
  },
});

export interface AdvanceValues extends CurrentSessionValues {
  nextGeneration: number;
  /** Who acts at the next generation, and its primary: what a cookie of this generation adopts, if it comes back. */
  actingId: string;
  primaryId: string | null;
  /** A condition on other tables, checked in the same statement. */
  onlyIf: SqlCondition | undefined;
}

/**
 * The compare-and-set that moves a current browser session on to its next generation; until a cookie of that one
 * is presented, one of this generation still acts, adopting it (see `BrowserSessions.newer`).
 */
export const browserSessionAdvance = declareStatement<AdvanceValues>({
  name: 'browser-session-advance',
  parameters: {
    token: 'value',
    generation: 'value',
    now: 'value',
    nextGeneration: 'value',
    actingId: 'value',
    primaryId: 'value',
    onlyIf: 'sql',
  },
  build: (em, { nextGeneration, actingId, primaryId, onlyIf, ...current }) =>
    sqlEntityManager(em)
      .createQueryBuilder(MultiAccountSession)
      .update({ generation: nextGeneration, previousAccepted: true, actingId, primaryId })
      .where({ ...currentSession(current), ...(onlyIf ? { [raw(onlyIf.sql, onlyIf.params)]: [] } : {}) })
      .toQuery(),
});
