import type { EntityManager } from '@mikro-orm/core';
import type { Executed, Method, Row } from './statement-runner.ts';

/** Runs a statement MikroORM's connection does not see: logged as it logs a query, failing with its errors. */
export async function runLogged(
  em: EntityManager,
  logged: { text: string; params: unknown[] },
  method: Method,
  run: () => Promise<{ rows: Row[]; affected: number }>,
): Promise<Executed> {
  const started = Date.now();
  try {
    const { rows, affected } = await run();
    const took = Date.now() - started;
    logStatement(em, logged, method === 'all' ? { took, results: rows.length } : { took, affected });
    return method === 'all' ? rows : { affectedRows: affected };
  } catch (error) {
    logStatement(em, logged, { took: Date.now() - started, level: 'error' });
    throw em.getDriver().convertException(error as Error);
  }
}

/** Logs the statement as MikroORM's connection logs a query (`debug`, `query-params`, the slow-query log). */
function logStatement(
  em: EntityManager,
  { text, params }: { text: string; params: readonly unknown[] },
  context: { took: number; results?: number; affected?: number; level?: 'error' },
) {
  const logger = em.config.getLogger();
  const threshold = em.config.get('slowQueryThreshold');
  const slow = threshold != null && context.took >= threshold;
  if (!slow && !logger.isEnabled('query')) return;
  const query = logger.isEnabled('query-params') || slow ? em.getPlatform().formatQuery(text, params) : text;
  logger.logQuery({ level: 'info', ...context, query });
  if (slow) em.config.getSlowQueryLogger().logQuery({ ...context, query, enabled: true });
}
