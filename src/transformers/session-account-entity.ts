import { EntitySchema } from '@mikro-orm/core';
import { sharedAcrossCopies } from '../dsl/shared-across-copies.ts';
import { MultiAccountSession } from './browser-session-entity.ts';

/**
 * An account signed in on a browser session, and when: what lets a person see every browser they are signed in on,
 * and the app end them (see `listBrowserSessions`, `revokeAccount`). Written at sign-in only, never by a request
 * that just reads; its rows go with their session (the foreign key cascades). A row may outlive the account's place
 * in the session (an unlink, a sign-out of one account): who belongs is read from the record and the links, and the
 * row only says since when.
 */
export interface MultiAccountSessionAccount {
  session: InstanceType<typeof MultiAccountSession>;
  userId: string;
  signedInAt: Date;
}

const shared = sharedAcrossCopies('session-account-entity', () => {
  const entity = class MultiAccountSessionAccount {} as unknown as new () => MultiAccountSessionAccount;
  const schema = new EntitySchema<MultiAccountSessionAccount>({
    class: entity,
    tableName: 'multi_account_session_account',
    properties: {
      session: { kind: 'm:1', entity: () => MultiAccountSession, primary: true, deleteRule: 'cascade' },
      userId: { type: 'string', length: 255, primary: true, index: true },
      signedInAt: { type: 'datetime', length: 3 },
    },
  });
  return { entity, schema };
});

export const MultiAccountSessionAccount = shared.entity;
/** Added to the ORM's entities by `withMultiAccount`, beside the browser-session records. */
export const multiAccountSessionAccountSchema = shared.schema;
