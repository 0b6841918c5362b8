import type { Dictionary, EntityMetadata } from '@mikro-orm/core';

/** Adds a generated property unless the app declared one of that name: nothing the app declared is overwritten. */
export function declareIfMissing(meta: EntityMetadata, name: string, property: Dictionary): void {
  if (meta.properties[name]) return;
  (meta.properties as Dictionary)[name] = { name, ...property };
}

export function hasPrimaryKey(meta: EntityMetadata): boolean {
  return Object.values(meta.properties).some(property => property.primary);
}
