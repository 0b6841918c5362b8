import type { MultiAccountPair } from './multi-account-pair.ts';

/**
 * Populate hints that load the display fields a plain select would skip (lazy properties and relations);
 * eager scalars, getters and formulas come with the entity anyway.
 */
export function displayFieldPopulate(pair: MultiAccountPair, relation?: string): string[] {
  const properties = pair.user.meta.properties as Record<string, { lazy?: boolean; kind?: string } | undefined>;
  return pair.user.options.displayFields
    .filter(field => properties[field]?.lazy || (properties[field] && properties[field]!.kind !== 'scalar'))
    .map(field => (relation ? `${relation}.${field}` : field));
}
