import type { EntityManager } from '@mikro-orm/core';

/** A query being built by MikroORM's QueryBuilder, as far as the actions use it. */
export interface BuiltQuery {
  join(field: string, alias: string): BuiltQuery;
  where(condition: object): BuiltQuery;
  orderBy(order: object): BuiltQuery;
  toQuery(): { sql: string; params: readonly unknown[] };
  execute(method: 'all', mapResults: boolean): Promise<unknown>;
}

/** The SQL drivers' EntityManager (the package needs one of them): builds queries, runs SQL, maps rows. */
export interface SqlEntityManager {
  createQueryBuilder(
    entity: Function,
    alias?: string,
  ): { select(fields: unknown): BuiltQuery; update(data: object): BuiltQuery };
  execute(sql: string, params: unknown[], method: 'all'): Promise<Record<string, unknown>[]>;
  execute(sql: string, params: unknown[], method: 'run'): Promise<{ affectedRows: number }>;
  map(entity: Function, row: Record<string, unknown>): object;
}

export const sqlEntityManager = (em: EntityManager): SqlEntityManager => em as unknown as SqlEntityManager;
