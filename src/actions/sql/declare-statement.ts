import type { EntityManager } from '@mikro-orm/core';
import { statementRunner } from './runner.ts';
import type { Row } from './statement-runner.ts';

/** SQL with its values for one request; `key` names its shape: the same key, the same SQL. */
export interface BoundSql {
  key: string;
  sql: string;
  params: unknown[];
}

/** A condition to ride along in another statement's `where` (the browser-session check, group membership). */
export type SqlCondition = BoundSql;

/**
 * How a statement takes each named value: one `value`, a `list` (its length shapes the SQL), or `sql`, a piece
 * of SQL with values of its own (its key shapes the SQL; it may be left out).
 */
type Kind<T> = [T] extends [readonly unknown[]] ? 'list' : [T] extends [BoundSql | undefined] ? 'sql' : 'value';

export interface StatementDeclaration<Values, Context> {
  /** Starts the statement's key (see `compiledQueries`). */
  name: string;
  parameters: { readonly [Name in keyof Values]-?: Kind<Values[Name]> };
  /** What of the context shapes the SQL besides the values (the entity it reads, say). */
  shape?: (context: Context) => string;
  /** Builds the statement with MikroORM's QueryBuilder from the values it is given. */
  build(em: EntityManager, values: Values, context: Context): { sql: string; params: readonly unknown[] };
}

export interface Statement<Values, Context> {
  /** The statement's SQL and values, to run or to put into another statement. */
  bind(em: EntityManager, values: Values, context: Context): BoundSql;
  all(em: EntityManager, values: Values, context: Context): Promise<Row[]>;
  run(em: EntityManager, values: Values, context: Context): Promise<{ affectedRows: number }>;
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
 * A statement built by MikroORM's QueryBuilder once per ORM and shape, then reused with new values: building it
 * is most of a simple statement's cost. The first time, `build` is given stand-ins (one distinct value per value
 * of the caller's) and the parameters MikroORM made of them show where each value goes; parameters that are not
 * stand-ins are constants of the statement (a status, an activeCheck value). If MikroORM did not pass every
 * stand-in through untouched (a custom type converted it), the statement is built afresh every time instead.
 */
export function declareStatement<Values, Context = void>(
  declaration: StatementDeclaration<Values, Context>,
): Statement<Values, Context> {
  const parameters = Object.entries(declaration.parameters) as [keyof Values, 'value' | 'list' | 'sql'][];
  const keyOf = (values: Values, context: Context): string => {
    let key = declaration.shape ? `${declaration.name} ${declaration.shape(context)}` : declaration.name;
    for (const [name, kind] of parameters) {
      if (kind === 'list') key += ` ${(values[name] as readonly unknown[]).length}`;
      else if (kind === 'sql') key += ` (${(values[name] as BoundSql | undefined)?.key ?? ''})`;
    }
    return key;
  };
  const flat = (values: Values): unknown[] => {
    const all: unknown[] = [];
    for (const [name, kind] of parameters) {
      const value: unknown = values[name];
      if (kind === 'value') all.push(value);
      else if (kind === 'list') all.push(...(value as readonly unknown[]));
      else if (value) all.push(...(value as BoundSql).params);
    }
    return all;
  };
  const compile = (em: EntityManager, values: Values, context: Context): CompiledSql | null => {
    const standIns = standInsFor(parameters, values);
    const { sql, params } = declaration.build(em, standIns, context);
    const sentinels = flat(standIns);
    const slots = params.map(param => sentinels.indexOf(param));
    const everyValuePlaced = sentinels.every((_, index) => slots.includes(index));
    return everyValuePlaced ? { sql, slots, constants: [...params] } : null;
  };
  const bind = (em: EntityManager, values: Values, context: Context): BoundSql => {
    let cache = compiledByOrm.get(em.getMetadata());
    if (!cache) compiledByOrm.set(em.getMetadata(), (cache = new Map()));
    const key = keyOf(values, context);
    let compiled = cache.get(key);
    if (compiled === undefined) cache.set(key, (compiled = compile(em, values, context)));
    if (compiled === null) {
      const { sql, params } = declaration.build(em, values, context);
      return { key, sql, params: [...params] };
    }
    const { slots, constants } = compiled;
    const given = flat(values);
    return {
      key,
      sql: compiled.sql,
      params: slots.map((slot, index) => (slot === -1 ? constants[index] : given[slot])),
    };
  };
  return {
    bind,
    all: (em, values, context) => {
      const { sql, params } = bind(em, values, context);
      return statementRunner(em).execute(em, sql, params, 'all') as Promise<Row[]>;
    },
    run: (em, values, context) => {
      const { sql, params } = bind(em, values, context);
      return statementRunner(em).execute(em, sql, params, 'run') as Promise<{ affectedRows: number }>;
    },
  };
}

/**
 * The caller's values with each replaced by a stand-in MikroORM passes through untouched, distinct from every
 * other: a number for a number (a key's own type), a date for a date, a string otherwise; an object (distinct
 * by identity) for each value of a piece of SQL, which goes into the statement as it is.
 */
function standInsFor<Values>(parameters: [keyof Values, 'value' | 'list' | 'sql'][], values: Values): Values {
  let count = 0;
  const standIn = (value: unknown) => {
    const index = count++;
    if (typeof value === 'number') return 2_147_480_000 + index;
    if (value instanceof Date) return new Date(index + 1);
    return `\u0000mma-${index}`;
  };
  const standIns = { ...values };
  for (const [name, kind] of parameters) {
    const value: unknown = values[name];
    let replaced: unknown = value;
    if (kind === 'value') replaced = standIn(value);
    else if (kind === 'list') replaced = (value as readonly unknown[]).map(standIn);
    else if (value) replaced = { ...(value as BoundSql), params: (value as BoundSql).params.map(() => ({})) };
    standIns[name] = replaced as Values[keyof Values];
  }
  return standIns;
}

/** Which statements this ORM reuses and which it builds every time (a custom type converted a value). */
export function compiledQueries(em: EntityManager): Record<string, 'reused' | 'built every time'> {
  const cache = compiledByOrm.get(em.getMetadata()) ?? new Map<string, CompiledSql | null>();
  return Object.fromEntries([...cache].map(([key, compiled]) => [key, compiled ? 'reused' : 'built every time']));
}
