import type { EntityMetadata, EntityProperty, MetadataStorage } from '@mikro-orm/core';
import type { ResolvedLinkedAccountOptions } from '../dsl/linked-account-options.ts';
import type { ResolvedMultiAccountOptions } from '../dsl/multi-account-options.ts';
import type { ProblemFactory } from '../errors/config-error.ts';

export interface UserEntityContext {
  storage: MetadataStorage;
  meta: EntityMetadata;
  options: ResolvedMultiAccountOptions;
  problem: ProblemFactory;
}

export interface LinkEntityContext {
  storage: MetadataStorage;
  meta: EntityMetadata;
  options: ResolvedLinkedAccountOptions;
  problem: ProblemFactory;
}

export function propertyOf(meta: EntityMetadata, name: string): EntityProperty | undefined {
  return meta.properties[name] as EntityProperty | undefined;
}

/** Calls an entity thunk; a thunk that throws (an import cycle gone wrong, say) yields the error instead. */
export function resolveThunk(thunk: () => Function): { target?: Function; error?: string } {
  try {
    const target = thunk();
    return typeof target === 'function' ? { target } : { error: `returned ${String(target)} instead of a class` };
  } catch (error) {
    return { error: `threw ${error instanceof Error ? error.message : String(error)}` };
  }
}

export function duplicates(names: string[]): Set<string> {
  return new Set(names.filter((name, index) => names.indexOf(name) !== index));
}
