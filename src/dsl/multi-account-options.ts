import type { EntitySchema } from '@mikro-orm/core';
import type { OptionDeclarations } from './option-schema.ts';

/** Options of `@MultiAccount(...)`, declared once: validation, defaults and the README table come from here. */
export const multiAccountOptionDeclarations = {
  linkedAccountResource: {
    kind: 'entityThunk',
    required: true,
    doc: 'The link entity, as a thunk so circular imports work: `() => LinkedAccount`.',
  },
  activeCheck: {
    kind: 'fieldValuePair',
    doc: '`{ field, value }`: only users whose persistent `field` equals `value` can be linked or switched to.',
  },
  displayFields: {
    kind: 'identifierList',
    default: [],
    doc: 'User properties, getters or formulas loaded for the account switcher.',
  },
  maxLinkedAccounts: {
    kind: 'positiveInteger',
    default: 5,
    doc: 'Most active links one primary user may hold in one session token.',
  },
  linkTtl: {
    kind: 'positiveInteger',
    default: 30 * 24 * 60 * 60 * 1000,
    doc:
      "How long (ms) a session's links live without use; expired links are ignored, and deleted by `prune`. " +
      'Default 30 days.',
  },
  getUserWithLinkedAccountsActionName: {
    kind: 'identifier',
    default: 'getUserWithLinkedAccounts',
    doc: 'User repository method that loads a primary user with display fields and links.',
  },
  linkedAccountsCalculationName: {
    kind: 'identifier',
    default: 'linkedAccounts',
    doc: "User repository method, and the user property it fills, with a session's links.",
  },
} as const satisfies OptionDeclarations;

export interface ActiveCheck {
  field: string;
  value: unknown;
}

export interface MultiAccountOptions {
  /** The link entity: its class, or its `defineEntity` / `EntitySchema` definition. */
  linkedAccountResource: () => (abstract new (...args: never[]) => object) | EntitySchema<any, any>;
  activeCheck?: ActiveCheck;
  displayFields?: readonly string[];
  maxLinkedAccounts?: number;
  linkTtl?: number;
  getUserWithLinkedAccountsActionName?: string;
  linkedAccountsCalculationName?: string;
}

export interface ResolvedMultiAccountOptions {
  linkedAccountResource: () => Function;
  activeCheck?: ActiveCheck;
  displayFields: readonly string[];
  maxLinkedAccounts: number;
  linkTtl: number;
  getUserWithLinkedAccountsActionName: string;
  linkedAccountsCalculationName: string;
}
