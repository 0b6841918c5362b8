import type { EntityMetadata, EntityRepository, Platform } from '@mikro-orm/core';

type RepositoryClass = new (...args: any[]) => EntityRepository<any>;
export type RepositoryMethods = Record<string, (this: EntityRepository<any>, ...args: any[]) => unknown>;

/**
 * Makes `em.getRepository(Entity)` offer the generated actions under their configured names. The app's own
 * repository (if it declared one) stays the base class, and a method it already defines is left alone.
 */
export function extendRepository(meta: EntityMetadata, platform: Platform, methods: RepositoryMethods): void {
  const declared = meta.repository;
  let generated: RepositoryClass | undefined;
  meta.repository = () => (generated ??= defineRepository(platform.getConfig().getRepositoryClass(declared) as RepositoryClass, methods));
}

function defineRepository(base: RepositoryClass, methods: RepositoryMethods): RepositoryClass {
  const repository = class extends base {};
  Object.defineProperty(repository, 'name', { value: `MultiAccount${base.name}` });
  for (const [name, method] of Object.entries(methods)) {
    if (name in base.prototype) continue;
    Object.defineProperty(repository.prototype, name, { value: method, writable: true, configurable: true });
  }
  return repository;
}
