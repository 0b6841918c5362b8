import { EntitySchema } from '@mikro-orm/core';

/**
 * One signed-in browser session, as the server knows it: its id is the session's token, and its generation
 * goes up at every change of acting account or of the link group. A cookie acts only while it carries the
 * current generation of a record that has not expired, so the server can revoke any cookie it ever issued.
 */
export class MultiAccountSession {
  id!: string;
  generation!: number;
  expiresAt!: Date;
}

/** Added to the ORM's entities by `withMultiAccount`, so `orm.schema` and migrations create its table. */
export const multiAccountSessionSchema = new EntitySchema<MultiAccountSession>({
  class: MultiAccountSession,
  tableName: 'multi_account_session',
  properties: {
    id: { type: 'uuid', primary: true },
    generation: { type: 'integer' },
    expiresAt: { type: 'datetime', length: 3, index: true },
  },
});
