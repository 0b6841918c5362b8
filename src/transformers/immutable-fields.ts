import type { EntityMetadata, EventArgs } from '@mikro-orm/core';
import { MultiAccountError } from '../errors/multi-account-error.ts';

/**
 * Who owns a link and which session it belongs to are decided at creation; changing them later would move a
 * link into someone else's session. Refuse any flush that tries.
 */
export function guardImmutableFields(meta: EntityMetadata, fields: readonly string[]): void {
  const refuseChanges = ({ changeSet }: EventArgs<object>) => {
    const changed = fields.filter(field => changeSet && field in changeSet.payload);
    if (changed.length > 0) throw new MultiAccountError('IMMUTABLE_FIELD', changed.join(', '));
  };
  meta.hooks.beforeUpdate = [...(meta.hooks.beforeUpdate ?? []), refuseChanges];
}
