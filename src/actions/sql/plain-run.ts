import type { EntityManager } from '@mikro-orm/core';
import { sqlEntityManager } from '../sql-entity-manager.ts';
import type { Executed, Method } from './statement-runner.ts';

/** `em.execute`, as any query runs: MikroORM writes the values into the SQL and honours the transaction. */
export function executePlain(em: EntityManager, sql: string, params: unknown[], method: Method): Promise<Executed> {
  return sqlEntityManager(em).execute(sql, params, method as 'all');
}
