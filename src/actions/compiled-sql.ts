// The SQL moved to `sql/`; the Koa layer still imports the condition's type from here.
export type { SqlCondition } from './sql/declare-statement.ts';
