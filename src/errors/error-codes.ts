/**
 * Every message a caller of the actions can see, named once. The codes are stable: match on `error.code`,
 * never on the text.
 */
export const errorMessages = {
  NO_ACTOR: () => 'An actor is required: the primary user must perform this action.',
  SELF_LINK: () => 'Cannot link a user to themselves.',
  MAX_LINKED_ACCOUNTS: (max: number) => `Maximum of ${max} linked accounts exceeded.`,
  ALREADY_LINKED: () => 'This account is already linked in this session.',
  INACTIVE_USER: (who: string) => `The ${who} account is not active.`,
  NOT_FOUND: (what: string) => `The ${what} could not be found.`,
  NOT_AUTHORIZED: (action: string) => `Only the primary user of this link may ${action} it.`,
  IMMUTABLE_FIELD: (fields: string) => `${fields} cannot change after a link is created; create a new link instead.`,
  MISSING_ARGUMENT: (name: string) => `Argument \`${name}\` is required.`,
  INVALID_ARGUMENT: (name: string, expected: string) => `Argument \`${name}\` must be ${expected}.`,
} as const;

export type MultiAccountErrorCode = keyof typeof errorMessages;
