import type { Platform } from '@mikro-orm/core';

/**
 * Whether `target` will be discovered by this ORM. Decidable only when `entities` lists classes; with glob
 * paths we assume yes and leave the final word to the startup verifiers.
 */
export function willBeDiscovered(target: Function, platform: Platform): boolean {
  const config = platform.getConfig();
  const listed = [...config.get('entities'), ...config.get('entitiesTs')];
  if (listed.some(entry => typeof entry === 'string')) return true;
  return listed.some(entry => entry === target || (entry as { meta?: { class?: unknown } }).meta?.class === target);
}
