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

const columnsShowByMeta = new WeakMap<object, boolean>();

/**
 * Whether a user's own columns hold every display field, so a row shows the account without an entity being
 * made: each display field a persisted scalar with no custom type (its column's value is the property's), none a
 * getter or formula. Decided once per discovered user entity.
 */
export function columnsHoldDisplayFields(pair: MultiAccountPair): boolean {
  const { meta } = pair.user;
  let hold = columnsShowByMeta.get(meta);
  if (hold === undefined) {
    const properties = meta.properties as Record<
      string,
      | { kind?: string; persist?: boolean; formula?: unknown; getter?: boolean; lazy?: boolean; customType?: unknown }
      | undefined
    >;
    hold = pair.user.options.displayFields.every(field => {
      const property = properties[field];
      return (
        property !== undefined &&
        property.kind === 'scalar' &&
        property.persist !== false &&
        !property.formula &&
        !property.getter &&
        !property.lazy &&
        !property.customType
      );
    });
    columnsShowByMeta.set(meta, hold);
  }
  return hold;
}
