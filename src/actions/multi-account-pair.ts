import type { EntityManager, EntityMetadata } from '@mikro-orm/core';
import { entityClassOf, type EntityDefinition } from '../dsl/entity-class.ts';
import { linkedAccountOptionsOf, multiAccountOptionsOf } from '../dsl/registry.ts';
import type { ResolvedLinkedAccountOptions } from '../dsl/linked-account-options.ts';
import type { ResolvedMultiAccountOptions } from '../dsl/multi-account-options.ts';

/** A user entity and its link entity as one discovered ORM sees them: what every action needs to know. */
export interface MultiAccountPair {
  user: { meta: EntityMetadata; options: ResolvedMultiAccountOptions; primaryKey: string };
  link: { meta: EntityMetadata; options: ResolvedLinkedAccountOptions; primaryKey: string };
}

const pairs = new WeakMap<EntityMetadata, MultiAccountPair>();

/** The pair that `entity` (the user or the link entity) belongs to, built once per discovered metadata. */
export function multiAccountPair(em: EntityManager, definition: EntityDefinition): MultiAccountPair {
  const entity = entityClassOf(definition);
  const meta = em.getMetadata().get(entity);
  let pair = pairs.get(meta);
  if (!pair) {
    const linkClass = linkedAccountOptionsOf(entity) ? entity : multiAccountOptionsOf(entity)?.linkedAccountResource();
    const linkMeta = em.getMetadata().get(linkClass!);
    const linkOptions = linkedAccountOptionsOf(linkMeta.class)!;
    const userMeta = em.getMetadata().get(linkOptions.userResource());
    pair = {
      user: { meta: userMeta, options: multiAccountOptionsOf(userMeta.class)!, primaryKey: userMeta.primaryKeys[0]! },
      link: { meta: linkMeta, options: linkOptions, primaryKey: linkMeta.primaryKeys[0]! },
    };
    pairs.set(userMeta, pair);
    pairs.set(linkMeta, pair);
  }
  return pair;
}
