import { EntitySchema } from '@mikro-orm/core';

/** What the library accepts as an entity: a decorated class, or a `defineEntity` / `EntitySchema` definition. */
export type EntityDefinition = Function | EntitySchema<any, any>;

/**
 * The class an entity definition stands for: the class itself, or the one a schema defines (`defineEntity` and
 * `new EntitySchema` make one when not given). Decorator records are kept by that class.
 */
export function entityClassOf(entity: EntityDefinition): Function {
  return EntitySchema.is(entity) ? (entity.meta.class as Function) : entity;
}
