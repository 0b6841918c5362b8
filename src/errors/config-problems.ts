/**
 * Every configuration problem the decorators and the startup verifiers report, named once with a stable code
 * (match on `problem.code`, never on the text): what is wrong, and what to do about it.
 */
export const configProblems = {
  OPTIONS_NOT_AN_OBJECT: (got: string) => ({ message: `expected an options object, got ${got}.` }),
  UNKNOWN_OPTION: (known: string) => ({ message: 'unknown option.', fix: `use one of: ${known}.` }),
  MISSING_OPTION: (doc: string, expected: string) => ({ message: `is required: ${doc}`, fix: `pass ${expected}.` }),
  INVALID_OPTION: (expected: string, got: string) => ({ message: `expected ${expected}, got ${got}.` }),
  DECORATOR_APPLIED_TWICE: (decorator: string) => ({ message: `${decorator} is applied twice.`, fix: 'keep one.' }),
  COMPOSITE_PRIMARY_KEY: (entity: string) => ({
    message: `${entity} has a composite primary key.`,
    fix: 'multi-account needs a user entity with a single primary key.',
  }),
  UNKNOWN_DISPLAY_FIELD: (field: string, entity: string, known: string) => ({
    message: `references unknown field \`${field}\` on ${entity}.`,
    fix: `declare \`${field}\` on ${entity} or remove it from displayFields (known: ${known}).`,
  }),
  ACTIVE_CHECK_NOT_A_COLUMN: (field: string, entity: string) => ({
    message: `field \`${field}\` is not a persistent property of ${entity}.`,
    fix: `point activeCheck.field at a column of ${entity}, e.g. a status or active flag.`,
  }),
  ACTIVE_CHECK_VALUE_MISMATCH: (value: string, mismatch: string, field: string) => ({
    message: `value ${value} ${mismatch}.`,
    fix: `use a value ${field} can hold.`,
  }),
  ENTITY_THUNK_FAILED: (error: string, expected: string) => ({
    message: `the thunk ${error}.`,
    fix: `return the ${expected}.`,
  }),
  NOT_A_LINK_ENTITY: (target: string, entity: string) => ({
    message: `${target} has no @LinkedAccountResource.`,
    fix: `decorate it: @LinkedAccountResource({ userResource: () => ${entity} }).`,
  }),
  REFERENCES_DO_NOT_MATCH: (target: string, pointsTo: string, entity: string) => ({
    message: `${target} has userResource set to ${pointsTo}, but expected ${entity}.`,
    fix: 'ensure both entities reference each other.',
  }),
  NOT_A_USER_ENTITY: (target: string) => ({
    message: `${target} has no @MultiAccount.`,
    fix: 'decorate it: @MultiAccount({ linkedAccountResource: () => ... }).',
  }),
  NOT_REGISTERED: (target: string) => ({
    message: `${target} is not registered with MikroORM.`,
    fix: `add ${target} to \`entities\`.`,
  }),
  NAME_IS_A_PROPERTY: (name: string, entity: string, option: string) => ({
    message: `\`${name}\` is already a property of ${entity}.`,
    fix: renameThrough(option),
  }),
  NAME_USED_TWICE: (name: string) => ({
    message: `\`${name}\` is used for more than one generated property.`,
    fix: 'give each one its own name.',
  }),
  DECLARED_DIFFERENTLY: (entity: string, name: string, needs: string, option: string) => ({
    message: `${entity}.${name} is declared differently: the link needs ${needs} there.`,
    fix: renameThrough(option),
  }),
  METHOD_NAME_USED_TWICE: (name: string) => ({
    message: `\`${name}\` names more than one generated method.`,
    fix: 'give each one its own name.',
  }),
  REPOSITORY_METHOD_EXISTS: (entity: string, name: string, option: string) => ({
    message: `${entity}'s repository already has a method \`${name}\`.`,
    fix: renameThrough(option),
  }),
} satisfies Record<string, (...args: never[]) => { message: string; fix?: string }>;

export type ConfigProblemCode = keyof typeof configProblems;

function renameThrough(option: string): string {
  return `rename it through the \`${option}\` option, or rename your declaration.`;
}
