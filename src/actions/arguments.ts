import type { EntityProperty } from '@mikro-orm/core';
import { MultiAccountError } from '../errors/multi-account-error.ts';
import type { MultiAccountPair } from './multi-account-pair.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type UserId = string | number | bigint;
/** A user entity, or its primary key. */
export type UserRef<User> = User | UserId;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && uuidPattern.test(value);
}

export function requireSessionToken(value: unknown): string {
  if (value === undefined || value === null || value === '')
    throw new MultiAccountError('MISSING_ARGUMENT', 'sessionToken');
  if (!isUuid(value)) throw new MultiAccountError('INVALID_ARGUMENT', 'sessionToken', 'a UUID string');
  return value.toLowerCase();
}

/**
 * The primary key a user reference stands for, or `undefined` when no user could have it (an id of the wrong
 * shape, say from a URL): such an id is reported as "not found", never sent to the database to fail there.
 */
export function userIdOf(pair: MultiAccountPair, ref: unknown): UserId | undefined {
  const id = typeof ref === 'object' && ref !== null ? (ref as Record<string, unknown>)[pair.user.primaryKey] : ref;
  const property = pair.user.meta.properties[pair.user.primaryKey] as EntityProperty;
  return fitsPrimaryKey(property, id) ? normalize(property, id) : undefined;
}

function fitsPrimaryKey(property: EntityProperty, id: unknown): id is UserId {
  switch (property.runtimeType) {
    case 'number':
      return (
        (typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && /^-?\d{1,15}$/.test(id))
      );
    case 'bigint':
      return typeof id === 'bigint' || (typeof id === 'string' && /^-?\d{1,19}$/.test(id)) || Number.isSafeInteger(id);
    default:
      if (typeof id !== 'string' || id.length === 0 || id.length > 255) return false;
      return property.type.toLowerCase() !== 'uuid' || isUuid(id);
  }
}

function normalize(property: EntityProperty, id: UserId): UserId {
  if (property.runtimeType === 'number') return Number(id);
  if (property.runtimeType === 'bigint') return BigInt(id);
  return property.type.toLowerCase() === 'uuid' ? String(id).toLowerCase() : id;
}

export function sameUserId(a: UserId | undefined, b: UserId | undefined): boolean {
  return a !== undefined && b !== undefined && String(a) === String(b);
}
