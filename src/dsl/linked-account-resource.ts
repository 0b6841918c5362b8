import type { EntitySchema } from '@mikro-orm/core';
import { recordingDecorator, type MultiAccountClassDecorator } from './decorate.ts';
import {
  linkedAccountOptionDeclarations,
  type LinkedAccountResourceOptions,
  type ResolvedLinkedAccountOptions,
} from './linked-account-options.ts';
import { recordLinkEntity } from './registry.ts';

/**
 * Marks the entity that stores links between accounts; its schema is generated at discovery.
 *
 * @example
 * @Entity()
 * @LinkedAccountResource({ userResource: () => User })
 * export class LinkedAccount {}
 */
export function LinkedAccountResource(options: LinkedAccountResourceOptions): MultiAccountClassDecorator {
  return recordingDecorator<ResolvedLinkedAccountOptions>(
    'linkedAccountResource',
    linkedAccountOptionDeclarations,
    options,
    recordLinkEntity,
  );
}

/**
 * `@LinkedAccountResource` for an entity defined with `defineEntity` or `EntitySchema` (no properties needed:
 * they are generated); returns the schema.
 *
 * @example
 * export const LinkedAccount = linkedAccountResource(defineEntity({ name: 'LinkedAccount', properties: {} }), {
 *   userResource: () => User,
 * });
 */
export function linkedAccountResource<Schema extends EntitySchema<any, any>>(
  schema: Schema,
  options: LinkedAccountResourceOptions,
): Schema {
  LinkedAccountResource(options)(schema.meta.class as Function);
  return schema;
}
