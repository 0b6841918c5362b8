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
  /** When it was signed in; null for a record from before version 0.3. */
  createdAt: Date | null;
  /** Its last use, to the hour: set by the hourly keep-alive (`touch`). */
  lastUsedAt: Date | null;
  /** Browser and system, from the User-Agent at sign-in ("Firefox on Linux"), to tell the person's devices apart. */
  device: string | null;
  /** The address it signed in from, only when the app asks for it (`devices: { ipAddress: true }`). */
  ipAddress: string | null;
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
      createdAt: { type: 'datetime', length: 3, nullable: true },
      lastUsedAt: { type: 'datetime', length: 3, nullable: true },
      device: { type: 'string', length: 100, nullable: true },
      ipAddress: { type: 'string', length: 45, nullable: true },
    },
  });
  return { entity, schema };
});

export const MultiAccountSession = shared.entity;
/** Added to the ORM's entities by `withMultiAccount`, so `orm.schema` and migrations create its table. */
export const multiAccountSessionSchema = shared.schema;
