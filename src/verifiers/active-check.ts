import type { EntityProperty } from '@mikro-orm/core';
import type { ConfigProblem } from '../errors/config-error.ts';
import { propertyOf, type UserEntityContext } from './verification-context.ts';

/** The activeCheck field is a persistent column (it is filtered on in SQL) and its value fits the column. */
export function checkActiveCheck({ meta, options, problem }: UserEntityContext): ConfigProblem[] {
  const check = options.activeCheck;
  if (!check) return [];
  const property = propertyOf(meta, check.field);
  if (property?.kind !== 'scalar' || property.persist === false) {
    return [problem('activeCheck', 'ACTIVE_CHECK_NOT_A_COLUMN', check.field, meta.className)];
  }
  const mismatch = valueMismatch(property, check.value);
  return mismatch
    ? [problem('activeCheck', 'ACTIVE_CHECK_VALUE_MISMATCH', JSON.stringify(check.value), mismatch, check.field)]
    : [];
}

function valueMismatch(property: EntityProperty, value: unknown): string | undefined {
  if (property.enum && Array.isArray(property.items) && property.items.length > 0) {
    return (property.items as readonly unknown[]).includes(value)
      ? undefined
      : `is not one of ${property.name}'s values (${property.items.join(', ')})`;
  }
  const actual = value instanceof Date ? 'Date' : typeof value;
  const expected = property.runtimeType;
  if (!expected || expected === 'any' || expected === 'object') return undefined;
  return actual === expected ? undefined : `is a ${actual}, but ${property.name} holds a ${expected}`;
}
