import type { EntitySchema } from '@mikro-orm/core';
import { recordingDecorator, type MultiAccountClassDecorator } from './decorate.ts';
import {
  multiAccountOptionDeclarations,
  type MultiAccountOptions,
  type ResolvedMultiAccountOptions,
} from './multi-account-options.ts';
import { recordUserEntity } from './registry.ts';

/**
 * Marks the app's user entity as able to hold several accounts in one browser session.
 *
 * @example
 * @Entity()
 * @MultiAccount({ linkedAccountResource: () => LinkedAccount, displayFields: ['email'] })
 * export class User { ... }
 */
export function MultiAccount(options: MultiAccountOptions): MultiAccountClassDecorator {
  return recordingDecorator<ResolvedMultiAccountOptions>(
    'multiAccount',
    multiAccountOptionDeclarations,
    options,
    recordUserEntity,
  );
}

/**
 * `@MultiAccount` for an entity defined with `defineEntity` or `EntitySchema`: returns the schema, so it can
 * wrap the definition.
 *
 * @example
 * export const User = multiAccount(defineEntity({ name: 'User', properties: { ... } }), {
 *   linkedAccountResource: () => LinkedAccount,
 * });
 */
export function multiAccount<Schema extends EntitySchema<any, any>>(
  schema: Schema,
  options: MultiAccountOptions,
): Schema {
  MultiAccount(options)(schema.meta.class as Function);
  return schema;
}
