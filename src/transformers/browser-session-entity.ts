import { EntitySchema } from '@mikro-orm/core';
import { sharedAcrossCopies } from '../dsl/shared-across-copies.ts';

/**
 * One signed-in browser session, as the server knows it: its id is the session's token, and its generation
 * goes up at every change of acting account or of the link group. A cookie acts only while it carries the
 * current generation of a record that has not expired, so the server can revoke any cookie it ever issued.
 */
export interface MultiAccountSession {
  id: string;
  generation: number;
  /**
   * A cookie of the generation before this one still acts — adopting this one — until a cookie of this one has
   * been presented: the answer that carried it may have been lost.
   */
  previousAccepted: boolean;
  /**
   * Who acts at this generation, and its group's primary (null: none): what an adopting cookie takes on. Null
   * acting: a record from before version 0.3, which no cookie adopts.
   */
  actingId: string | null;
  primaryId: string | null;
  expiresAt: Date;
}

// One entity for every copy of the package: two copies must not register the same table twice.
const shared = sharedAcrossCopies('browser-session-entity', () => {
  const entity = class MultiAccountSession {} as unknown as new () => MultiAccountSession;
  const schema = new EntitySchema<MultiAccountSession>({
    class: entity,
    tableName: 'multi_account_session',
    properties: {
      id: { type: 'uuid', primary: true },
      generation: { type: 'integer' },
      previousAccepted: { type: 'boolean', default: false },
      actingId: { type: 'string', length: 255, nullable: true },
      primaryId: { type: 'string', length: 255, nullable: true },
      expiresAt: { type: 'datetime', length: 3, index: true },
    },
  });
  return { entity, schema };
});

export const MultiAccountSession = shared.entity;
/** Added to the ORM's entities by `withMultiAccount`, so `orm.schema` and migrations create its table. */
export const multiAccountSessionSchema = shared.schema;
