import type { EntityMetadata, EntityRepository, Platform } from '@mikro-orm/core';

type RepositoryClass = new (...args: any[]) => EntityRepository<any>;
export type RepositoryMethods = Record<string, (this: EntityRepository<any>, ...args: any[]) => unknown>;

/** The repository class each extended entity's generated repository builds on. */
const baseRepositories = new WeakMap<EntityMetadata, () => RepositoryClass>();

/**
 * Makes `em.getRepository(Entity)` offer the generated actions under their configured names. The app's own
 * repository (if it declared one) stays the base class, and a method it already defines is left alone.
 */
export function extendRepository(meta: EntityMetadata, platform: Platform, methods: RepositoryMethods): void {
  const declared = meta.repository;
  const base = () => platform.getConfig().getRepositoryClass(declared) as RepositoryClass;
  let generated: RepositoryClass | undefined;
  baseRepositories.set(meta, base);
  meta.repository = () => (generated ??= defineRepository(base(), methods));
}

/**
 * The names the generated repository leaves to its base class, which has them already. Read off the base, so
 * the startup check does not define a class per entity before any repository is asked for.
 */
export function namesTakenByRepository(meta: EntityMetadata, names: string[]): string[] {
  const base = baseRepositories.get(meta)?.();
  if (base) return names.filter(name => name in base.prototype);
  const repository = meta.repository?.();
  return repository ? names.filter(name => !Object.hasOwn(repository.prototype, name)) : [];
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
