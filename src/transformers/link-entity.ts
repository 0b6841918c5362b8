import { randomUUID } from 'node:crypto';
import type { EntityMetadata, EntityRepository, Platform } from '@mikro-orm/core';
import { LinkedAccountActions } from '../actions/linked-account-actions.ts';
import { multiAccountPair } from '../actions/multi-account-pair.ts';
import { fixedLinkProperties, type ResolvedLinkedAccountOptions } from '../dsl/linked-account-options.ts';
import { declareIfMissing, hasPrimaryKey } from './declare-property.ts';
import { willBeDiscovered } from './entity-registration.ts';
import { guardImmutableFields } from './immutable-fields.ts';
import { extendRepository } from './repository.ts';

/** Generates the link table, the `isActive` calculation and the link actions on a `@LinkedAccountResource`. */
export function transformLinkEntity(
  meta: EntityMetadata,
  options: ResolvedLinkedAccountOptions,
  platform: Platform,
): void {
  const now = () => new Date();
  if (!hasPrimaryKey(meta)) {
    declareIfMissing(meta, fixedLinkProperties.id, {
      kind: 'scalar',
      type: 'uuid',
      primary: true,
      onCreate: () => randomUUID(),
    });
  }
  declareIfMissing(meta, options.sessionTokenAttributeName, { kind: 'scalar', type: 'uuid' });
  declareIfMissing(meta, options.statusAttributeName, {
    kind: 'scalar',
    type: 'string',
    enum: true,
    items: ['active', 'inactive'],
    default: 'active',
  });
  declareIfMissing(meta, fixedLinkProperties.insertedAt, {
    kind: 'scalar',
    type: 'datetime',
    length: 3,
    onCreate: now,
  });
  declareIfMissing(meta, fixedLinkProperties.updatedAt, {
    kind: 'scalar',
    type: 'datetime',
    length: 3,
    onCreate: now,
    onUpdate: now,
  });

  const userEntity = safely(options.userResource);
  // A relation to a class this ORM will not discover would crash discovery before the verifiers could explain.
  if (userEntity && willBeDiscovered(userEntity, platform)) {
    for (const relation of [options.primaryUserRelationshipName, options.linkedUserRelationshipName]) {
      declareIfMissing(meta, relation, {
        kind: 'm:1',
        entity: options.userResource,
        deleteRule: 'cascade',
        nullable: false,
      });
    }
    declareUniqueIdentity(meta, [
      options.primaryUserRelationshipName,
      options.linkedUserRelationshipName,
      options.sessionTokenAttributeName,
    ]);
    declareLinkedInIndex(meta, [options.linkedUserRelationshipName, options.sessionTokenAttributeName]);
  }
  declareIsActive(meta, options.statusAttributeName);
  guardImmutableFields(meta, [
    options.primaryUserRelationshipName,
    options.linkedUserRelationshipName,
    options.sessionTokenAttributeName,
  ]);

  const actions = (repository: EntityRepository<object>) => {
    const em = repository.getEntityManager();
    return new LinkedAccountActions(em, multiAccountPair(em, meta.class));
  };
  extendRepository(meta, platform, {
    [options.createActionName]: function (input) {
      return actions(this).create(input);
    },
    [options.getLinkedAccountsActionName]: function (input) {
      return actions(this).getLinkedAccounts(input);
    },
    [options.activateActionName]: function (id, input) {
      return actions(this).activate(id, input);
    },
    [options.deactivateActionName]: function (id, input) {
      return actions(this).deactivate(id, input);
    },
    [options.readActionName]: function (id) {
      return actions(this).read(id);
    },
    [options.destroyActionName]: function (id, input) {
      return actions(this).destroy(id, input);
    },
  });
}

/** One unique index on (primary, linked, token): an equivalent one the app declared is reused. */
function declareUniqueIdentity(meta: EntityMetadata, properties: string[]): void {
  const sameColumns = (declared: unknown) => {
    const names = [declared].flat() as string[];
    return names.length === properties.length && properties.every(name => names.includes(name));
  };
  if (meta.uniques.some(unique => sameColumns(unique.properties))) return;
  meta.uniques.push({ properties });
}

/**
 * An index on (linked, token): the browser sessions an account is linked into, found without reading the table
 * (`listBrowserSessions`, `revokeAccount`). An index the app declared that starts with these columns is reused.
 */
function declareLinkedInIndex(meta: EntityMetadata, properties: string[]): void {
  const startsWith = (declared: unknown) => {
    const names = [declared].flat() as string[];
    return properties.every((name, index) => names[index] === name);
  };
  if ([...meta.indexes, ...meta.uniques].some(index => startsWith(index.properties))) return;
  meta.indexes.push({ properties });
}

/** `isActive` reads the status; a getter of that name the app wrote itself is kept. */
function declareIsActive(meta: EntityMetadata, statusName: string): void {
  const name = fixedLinkProperties.isActive;
  if (meta.properties[name]) return;
  if (!(name in meta.prototype)) {
    Object.defineProperty(meta.prototype, name, {
      get(this: Record<string, unknown>) {
        return this[statusName] === 'active';
      },
      configurable: true,
    });
  }
  declareIfMissing(meta, name, { kind: 'scalar', type: 'boolean', persist: false, getter: true });
}

function safely<T>(thunk: () => T): T | undefined {
  try {
    return thunk();
  } catch {
    return undefined;
  }
}
