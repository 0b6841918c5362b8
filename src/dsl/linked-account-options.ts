import type { EntitySchema } from '@mikro-orm/core';
import type { OptionDeclarations } from './option-schema.ts';

const rename = (what: string, original: string) =>
  ({ kind: 'identifier', default: original, doc: `Name of the ${what}.` }) as const;

/**
 * Options of `@LinkedAccountResource(...)`, declared once: validation, defaults and the README table come from
 * here.
 */
export const linkedAccountOptionDeclarations = {
  userResource: {
    kind: 'entityThunk',
    required: true,
    doc: 'The user entity, as a thunk so circular imports work: `() => User`.',
  },
  sessionTokenAttributeName: rename('session token property (uuid)', 'sessionToken'),
  statusAttributeName: rename("status property ('active' or 'inactive')", 'status'),
  primaryUserRelationshipName: rename('many-to-one to the primary user', 'primaryUser'),
  linkedUserRelationshipName: rename('many-to-one to the linked user', 'linkedUser'),
  createActionName: rename('repository method that creates a link', 'createLinkedAccount'),
  getLinkedAccountsActionName: rename("repository method that lists a session's active links", 'getLinkedAccounts'),
  activateActionName: rename('repository method that activates a link', 'activate'),
  deactivateActionName: rename('repository method that deactivates a link', 'deactivate'),
  readActionName: rename('repository method that reads one link', 'read'),
  destroyActionName: rename('repository method that deletes a link', 'destroy'),
} as const satisfies OptionDeclarations;

export interface LinkedAccountResourceOptions {
  /** The user entity: its class, or its `defineEntity` / `EntitySchema` definition. */
  userResource: () => (abstract new (...args: never[]) => object) | EntitySchema<any, any>;
  sessionTokenAttributeName?: string;
  statusAttributeName?: string;
  primaryUserRelationshipName?: string;
  linkedUserRelationshipName?: string;
  createActionName?: string;
  getLinkedAccountsActionName?: string;
  activateActionName?: string;
  deactivateActionName?: string;
  readActionName?: string;
  destroyActionName?: string;
}

export type ResolvedLinkedAccountOptions = Required<Omit<LinkedAccountResourceOptions, 'userResource'>> & {
  userResource: () => Function;
};

/** The generated properties whose names the options cannot change. */
export const fixedLinkProperties = {
  id: 'id',
  insertedAt: 'insertedAt',
  updatedAt: 'updatedAt',
  isActive: 'isActive',
} as const;
