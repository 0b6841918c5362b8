import type { EntityManager } from '@mikro-orm/core';
import { linkedAccountOptionsOf } from '../dsl/registry.ts';
import { MultiAccountSession } from '../transformers/browser-session-entity.ts';
import { fixedLinkProperties } from '../dsl/linked-account-options.ts';
import { userIdOf, type UserId } from './arguments.ts';
import { expiryCutoff } from './expiry.ts';
import { multiAccountPair, type MultiAccountPair } from './multi-account-pair.ts';

export interface PruneResult {
  /** Links unused for longer than `linkTtl`. */
  expired: number;
  /** Links whose primary or linked user is gone (possible only where the database does not enforce foreign keys). */
  orphaned: number;
  /** Records of browser sessions unused for longer than their time to live (they already act as signed out). */
  sessions: number;
}

type Row = Record<string, unknown>;

/**
 * Deletes expired and orphaned link rows of every link entity the ORM knows, and expired browser-session
 * records, `batchSize` rows per statement, so a large table is never locked for long. Safe to run while the app
 * serves requests: nothing it deletes still acts.
 */
export async function pruneLinkedAccounts(
  em: EntityManager,
  { batchSize = 1000 }: { batchSize?: number } = {},
): Promise<PruneResult> {
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new TypeError('batchSize must be a positive integer.');
  const result: PruneResult = { expired: 0, orphaned: 0, sessions: 0 };
  for (const meta of em.getMetadata()) {
    if (!linkedAccountOptionsOf(meta.class)) continue;
    const pair = multiAccountPair(em, meta.class);
    result.expired += await deleteInBatches(em, pair.link.meta.class, pair.link.primaryKey, batchSize, {
      [fixedLinkProperties.updatedAt]: { $lt: expiryCutoff(pair) },
    });
    result.orphaned += await deleteOrphans(em, pair, batchSize);
  }
  result.sessions = await deleteInBatches(em, MultiAccountSession, 'id', batchSize, { expiresAt: { $lt: new Date() } });
  return result;
}

async function deleteInBatches(
  em: EntityManager,
  entity: Function,
  key: string,
  batchSize: number,
  where: Row,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const batch = (await em.fork().find(entity, where, { fields: [key], limit: batchSize })) as Row[];
    if (batch.length === 0) return deleted;
    deleted += await em.nativeDelete(entity, { [key]: { $in: batch.map(row => row[key]) } });
    if (batch.length < batchSize) return deleted;
  }
}

/** Walks the link table in key order, a batch at a time, and deletes the rows that point at missing users. */
async function deleteOrphans(em: EntityManager, pair: MultiAccountPair, batchSize: number): Promise<number> {
  const { link, user } = pair;
  const relations = [link.options.primaryUserRelationshipName, link.options.linkedUserRelationshipName];
  let deleted = 0;
  let after: unknown;
  for (;;) {
    const where = after === undefined ? {} : { [link.primaryKey]: { $gt: after } };
    const batch = (await em.fork().find(link.meta.class, where, {
      fields: [link.primaryKey, ...relations],
      orderBy: { [link.primaryKey]: 'asc' },
      limit: batchSize,
    })) as Row[];
    if (batch.length === 0) return deleted;
    after = batch.at(-1)![link.primaryKey];
    const referenced = [
      ...new Set(batch.flatMap(row => relations.map(relation => userIdOf(pair, row[relation])))),
    ].filter((id): id is UserId => id !== undefined);
    const existing = (await em.fork().find(
      user.meta.class,
      { [user.primaryKey]: { $in: referenced } },
      {
        fields: [user.primaryKey],
      },
    )) as Row[];
    const alive = new Set(existing.map(row => String(row[user.primaryKey])));
    const orphans = batch.filter(row => relations.some(relation => !alive.has(String(userIdOf(pair, row[relation])))));
    if (orphans.length > 0) {
      deleted += await em.nativeDelete(link.meta.class, {
        [link.primaryKey]: { $in: orphans.map(row => row[link.primaryKey]) },
      });
    }
    if (batch.length < batchSize) return deleted;
  }
}
