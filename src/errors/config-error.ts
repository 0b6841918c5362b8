import { configProblems, type ConfigProblemCode } from './config-problems.ts';

/** One configuration problem, located the way Spark locates DSL errors: entity, option path, message. */
export interface ConfigProblem {
  /** Stable: match on it (see `configProblems`), never on the text. */
  code: ConfigProblemCode;
  entity: string;
  decorator: 'multiAccount' | 'linkedAccountResource';
  option: string;
  message: string;
  /** What to do about it. */
  fix?: string;
}

/** Where problems are found: an entity and the decorator whose options are checked. */
export type ProblemLocation = Pick<ConfigProblem, 'entity' | 'decorator'>;

/** Builds problems at one location: `problem('displayFields', 'UNKNOWN_DISPLAY_FIELD', field, entity, known)`. */
export function problemsAt(location: ProblemLocation) {
  return <C extends ConfigProblemCode>(
    option: string,
    code: C,
    ...args: Parameters<(typeof configProblems)[C]>
  ): ConfigProblem => {
    const { message, fix } = (configProblems[code] as (...values: unknown[]) => { message: string; fix?: string })(
      ...args,
    );
    return { code, ...location, option, message, ...(fix === undefined ? {} : { fix }) };
  };
}

export type ProblemFactory = ReturnType<typeof problemsAt>;

export function formatProblem(problem: ConfigProblem): string {
  const line = `[${problem.entity}] ${problem.decorator} -> ${problem.option}: ${problem.message}`;
  return problem.fix ? `${line}\n    fix: ${problem.fix}` : line;
}

/** Thrown with every problem found at once, so one run shows everything to fix. */
export class MultiAccountConfigError extends Error {
  override readonly name = 'MultiAccountConfigError';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`mikro-multi-account configuration has ${count}:\n${problems.map(formatProblem).join('\n')}`);
    this.problems = problems;
  }
}
