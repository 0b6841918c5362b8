import type { EntityManager } from '@mikro-orm/core';

/** A condition in SQL with its values, to ride along in another query's `where`; `key` names its shape. */
export interface SqlCondition {
  key: string;
  sql: string;
  params: unknown[];
}

/** A statement's SQL, and for each of its parameters which of the caller's values goes there. */
interface CompiledSql {
  sql: string;
  /** Per parameter: the index of the caller's value that goes there, or -1 for a constant. */
  slots: number[];
  constants: unknown[];
}

const compiledByOrm = new WeakMap<object, Map<string, CompiledSql | null>>();

/**
 * A query built by MikroORM's QueryBuilder once per ORM and `key`, then reused with new values: building it is
 * most of a simple query's cost. `build` is called with `sentinels` (one distinct value per caller value) and
 * returns the SQL and parameters MikroORM made of them; parameters that are not sentinels are constants of the
 * query (a status, an activeCheck value) and stay as they are. If MikroORM did not pass every sentinel through
 * untouched (a custom type converted it), the query is built afresh every time instead.
 */
export function compiledQuery(
  em: EntityManager,
  key: string,
  sentinels: readonly unknown[],
  build: (values: readonly unknown[]) => { sql: string; params: readonly unknown[] },
  values: readonly unknown[],
): { sql: string; params: unknown[] } {
  let cache = compiledByOrm.get(em.getMetadata());
  if (!cache) compiledByOrm.set(em.getMetadata(), (cache = new Map()));
  let compiled = cache.get(key);
  if (compiled === undefined) {
    const { sql, params } = build(sentinels);
    const slots = params.map(param => sentinels.indexOf(param));
    const everyValuePlaced = sentinels.every((_, index) => slots.includes(index));
    compiled = everyValuePlaced ? { sql, slots, constants: [...params] } : null;
    cache.set(key, compiled);
  }
  if (compiled === null) {
    const { sql, params } = build(values);
    return { sql, params: [...params] };
  }
  const { slots, constants } = compiled;
  return { sql: compiled.sql, params: slots.map((slot, index) => (slot === -1 ? constants[index] : values[slot])) };
}

/** Which queries this ORM reuses and which it builds every time (a custom type converted a value): for tests and diagnosis. */
export function compiledQueries(em: EntityManager): Record<string, 'reused' | 'built every time'> {
  const cache = compiledByOrm.get(em.getMetadata()) ?? new Map<string, CompiledSql | null>();
  return Object.fromEntries([...cache].map(([key, compiled]) => [key, compiled ? 'reused' : 'built every time']));
}
