/** One configuration problem, located the way Spark locates DSL errors: entity, option path, message. */
export interface ConfigProblem {
  entity: string;
  decorator: 'multiAccount' | 'linkedAccountResource';
  option: string;
  message: string;
  /** What to do about it. */
  fix?: string;
}

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
