import type * as TS from 'typescript';
import { checkMultiAccountProgram } from './check-program.ts';
import { compilerApiProblem } from './compiler-api.ts';

/**
 * ts-patch program transformer: adds the multi-account checks to the program's semantic diagnostics, so
 * `tspc` reports them like type errors. Enable it in tsconfig.json:
 * `"plugins": [{ "transform": "mikro-multi-account/ts-plugin", "transformProgram": true }]`.
 */
export default function multiAccountTsPlugin(
  program: TS.Program,
  _host: TS.CompilerHost | undefined,
  _config: unknown,
  { ts }: { ts: typeof TS },
): TS.Program {
  const problem = compilerApiProblem(ts);
  if (problem) throw new Error(`mikro-multi-account/ts-plugin: ${problem}`);
  const semanticDiagnostics = program.getSemanticDiagnostics.bind(program);
  let ours: TS.Diagnostic[] | undefined;
  program.getSemanticDiagnostics = (sourceFile, cancellationToken) => {
    ours ??= checkMultiAccountProgram(ts, program);
    const own = sourceFile ? ours.filter(diagnostic => diagnostic.file === sourceFile) : ours;
    return [...semanticDiagnostics(sourceFile, cancellationToken), ...own];
  };
  return program;
}
