import { setTimeout as sleep } from 'node:timers/promises';
import { DeadlockException, LockWaitTimeoutException, type EntityManager } from '@mikro-orm/core';

/** Whether the database gave up on a transaction for the way it raced others, asking the client to try again. */
export function isTransientConflict(error: unknown): boolean {
  return error instanceof DeadlockException || error instanceof LockWaitTimeoutException;
}

/**
 * `em.transactional(work)`, run again — at most `attempts` times in all, after a short random pause — when the
 * database ends it for a deadlock, a serialization failure or a lock wait timeout. Whatever still fails is
 * thrown (the Koa layer answers 503 then). Nested in another transaction it joins it, and the outer one retries.
 */
export async function retryingTransaction<T>(
  em: EntityManager,
  work: (em: EntityManager) => Promise<T>,
  attempts = 4,
): Promise<T> {
  // Within a transaction already, only the outermost may try again: the database rolled all of it back.
  if (em.isInTransaction()) return em.transactional(work);
  for (let attempt = 1; ; attempt++) {
    try {
      return await em.transactional(work);
    } catch (error) {
      if (attempt >= attempts || !isTransientConflict(error)) throw error;
      await sleep(5 + Math.random() * 20 * attempt);
    }
  }
}
