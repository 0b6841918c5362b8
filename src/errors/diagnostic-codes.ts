/**
 * Every compile-time diagnostic, with its stable code (what `tsc` prints as `error TS94001`), named once.
 * Each message says what to do.
 */
export const compileTimeDiagnostics = {
  UNKNOWN_DISPLAY_FIELD: {
    code: 94001,
    message: (field: string, entity: string) =>
      `displayFields entry "${field}" is not a member of ${entity}. ` +
      `Declare "${field}" on ${entity} (a property or a getter) or remove it from displayFields.`,
  },
  UNKNOWN_ACTIVE_CHECK_FIELD: {
    code: 94002,
    message: (field: string, entity: string) =>
      `activeCheck.field "${field}" is not a member of ${entity}. ` +
      `Point it at a persistent property of ${entity}, such as a status column.`,
  },
  ACTIVE_CHECK_VALUE_MISMATCH: {
    code: 94003,
    message: (value: string, entity: string, field: string, type: string) =>
      `activeCheck.value ${value} does not fit ${entity}.${field}, which is ${type}. Use a value of that type.`,
  },
  NOT_A_LINK_ENTITY: {
    code: 94004,
    message: (target: string, entity: string) =>
      `linkedAccountResource points at ${target}, which has no @LinkedAccountResource. ` +
      `Decorate ${target} with @LinkedAccountResource({ userResource: () => ${entity} }).`,
  },
  REFERENCES_DO_NOT_MATCH: {
    code: 94005,
    message: (link: string, pointsTo: string, entity: string) =>
      `${link}'s userResource points at ${pointsTo}, not at ${entity}. Make both classes reference each other.`,
  },
  NOT_A_USER_ENTITY: {
    code: 94006,
    message: (target: string) =>
      `userResource points at ${target}, which has no @MultiAccount. ` +
      `Decorate ${target} with @MultiAccount({ linkedAccountResource: () => ... }).`,
  },
  MAX_NOT_POSITIVE_INTEGER: {
    code: 94007,
    message: (value: string) => `maxLinkedAccounts is ${value}; it must be a positive integer such as 5.`,
  },
  NAME_COLLISION: {
    code: 94008,
    message: (option: string, name: string, entity: string, needs: string) =>
      `${option} "${name}" collides with ${entity}.${name}, which is declared differently: it must hold ${needs}. ` +
      'Choose another name or change the declaration.',
  },
} as const;

export type CompileTimeDiagnostic = keyof typeof compileTimeDiagnostics;
