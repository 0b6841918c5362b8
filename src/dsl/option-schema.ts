import {
  MultiAccountConfigError,
  problemsAt,
  type ConfigProblem,
  type ProblemLocation,
} from '../errors/config-error.ts';

/** The shapes an option value can take; each knows how to check a value and how to describe itself. */
const kinds = {
  entityThunk: {
    expected: 'a function returning an entity class, e.g. `() => LinkedAccount`',
    accepts: (value: unknown) => typeof value === 'function' && !isClass(value),
  },
  identifier: {
    expected: 'a JavaScript identifier string, e.g. "sessionToken"',
    accepts: (value: unknown) => typeof value === 'string' && /^[A-Za-z_$][\w$]*$/.test(value),
  },
  identifierList: {
    expected: 'an array of property names, e.g. ["name", "email"]',
    accepts: (value: unknown) =>
      Array.isArray(value) && value.every(item => typeof item === 'string' && /^[A-Za-z_$][\w$]*$/.test(item)),
  },
  positiveInteger: {
    expected: 'a positive integer, e.g. 5',
    accepts: (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value > 0,
  },
  fieldValuePair: {
    expected: 'an object `{ field: "status", value: "active" }`',
    accepts: (value: unknown) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { field?: unknown }).field === 'string' &&
      'value' in value &&
      (value as { value?: unknown }).value !== undefined,
  },
} as const;

export type OptionKind = keyof typeof kinds;

export interface OptionDeclaration {
  kind: OptionKind;
  required?: boolean;
  default?: unknown;
  doc: string;
}

export type OptionDeclarations = Readonly<Record<string, OptionDeclaration>>;

export function describeKind(kind: OptionKind): string {
  return kinds[kind].expected;
}

/** Fills defaults and checks every option, throwing one error that lists every problem found. */
export function resolveOptions<Resolved>(
  declarations: OptionDeclarations,
  input: unknown,
  where: ProblemLocation,
): Resolved {
  const problem = problemsAt(where);
  if (typeof input !== 'object' || input === null) {
    throw new MultiAccountConfigError([problem('(options)', 'OPTIONS_NOT_AN_OBJECT', show(input))]);
  }
  const problems: ConfigProblem[] = [];
  const resolved: Record<string, unknown> = {};
  for (const name of Object.keys(input)) {
    if (!(name in declarations)) {
      problems.push(problem(name, 'UNKNOWN_OPTION', Object.keys(declarations).join(', ')));
    }
  }
  for (const [name, declaration] of Object.entries(declarations)) {
    const value = (input as Record<string, unknown>)[name];
    if (value === undefined) {
      if (declaration.required)
        problems.push(problem(name, 'MISSING_OPTION', declaration.doc, describeKind(declaration.kind)));
      else if (declaration.default !== undefined) resolved[name] = structuredClone(declaration.default);
      continue;
    }
    if (!kinds[declaration.kind].accepts(value)) {
      problems.push(problem(name, 'INVALID_OPTION', describeKind(declaration.kind), show(value)));
      continue;
    }
    resolved[name] = value;
  }
  if (problems.length > 0) throw new MultiAccountConfigError(problems);
  return resolved as Resolved;
}

function isClass(value: Function): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(value));
}

function show(value: unknown): string {
  if (typeof value === 'function')
    return isClass(value) ? `the class ${value.name} (wrap it: () => ${value.name})` : 'a function';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value) ?? String(value);
  return String(value);
}
