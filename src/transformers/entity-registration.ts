import type { Platform } from '@mikro-orm/core';

/** The classes an `entities` list names (`true`: it has glob paths), per list, so each link is one lookup. */
const listedClasses = new WeakMap<object, { entitiesTs: object; classes: Set<unknown> | true }>();

/**
 * Whether `target` will be discovered by this ORM. Decidable only when `entities` lists classes; with glob
 * paths we assume yes and leave the final word to the startup verifiers.
 */
export function willBeDiscovered(target: Function, platform: Platform): boolean {
  const classes = classesListedIn(platform);
  return classes === true || classes.has(target);
}

function classesListedIn(platform: Platform): Set<unknown> | true {
  const config = platform.getConfig();
  const [entities, entitiesTs] = [config.get('entities'), config.get('entitiesTs')];
  const cached = listedClasses.get(entities);
  if (cached?.entitiesTs === entitiesTs) return cached.classes;
  const listed = [...entities, ...entitiesTs];
  const classes = listed.some(entry => typeof entry === 'string')
    ? true
    : new Set(listed.flatMap(entry => [entry, (entry as { meta?: { class?: unknown } }).meta?.class]));
  listedClasses.set(entities, { entitiesTs, classes });
  return classes;
}
