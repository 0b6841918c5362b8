import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { checkMultiAccountProgram } from '../compile-time/check-program.ts';
import { compilerApiProblem } from '../compile-time/compiler-api.ts';

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: fileName => fileName,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => '\n',
};

type LoadedProject =
  | { program: ts.Program; fileCount: number }
  | { error: string; diagnostics?: readonly ts.Diagnostic[] };

/** The TypeScript program of a tsconfig (or of the folder holding one), or why it cannot be built. */
export function loadProject(project: string): LoadedProject {
  let configPath = resolve(project);
  if (existsSync(configPath) && statSync(configPath).isDirectory()) configPath = join(configPath, 'tsconfig.json');
  if (!existsSync(configPath))
    return { error: `cannot find a tsconfig at ${configPath}. Pass the project with -p path/to/tsconfig.json.` };
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) return { error: `cannot read ${configPath}:`, diagnostics: [read.error] };
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configPath), undefined, configPath);
  if (parsed.errors.length > 0) return { error: `${configPath} is not a valid tsconfig:`, diagnostics: parsed.errors };
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
  });
  return { program, fileCount: parsed.fileNames.length };
}

/** The compile-time checks on a program built with the TypeScript this package depends on. */
export function multiAccountDiagnostics(program: ts.Program): ts.Diagnostic[] {
  // The default import is the runtime module; the checks are typed against the namespace view of the same API.
  return checkMultiAccountProgram(ts as unknown as Parameters<typeof checkMultiAccountProgram>[0], program);
}

/**
 * `mikro-multi-account verify [-p tsconfig.json]`: the compile-time checks without ts-patch, printed the way
 * tsc prints diagnostics. Returns the exit code: 1 when there is any error (or the project cannot be read); 2 when
 * the app's TypeScript has no compiler API to run them with (TypeScript 7).
 */
export function verifyProject(
  project: string,
  { pretty = process.stdout.isTTY ?? false, write = (text: string) => process.stdout.write(text), compiler = ts } = {},
): number {
  const problem = compilerApiProblem(compiler);
  if (problem) {
    write(`error: ${problem}\n`);
    return 2;
  }
  const format = (diagnostics: readonly ts.Diagnostic[]) =>
    pretty
      ? ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost)
      : ts.formatDiagnostics(diagnostics, formatHost);
  const loaded = loadProject(project);
  if ('error' in loaded) {
    write(`error: ${loaded.error}\n${loaded.diagnostics ? format(loaded.diagnostics) : ''}`);
    return 1;
  }
  const diagnostics = multiAccountDiagnostics(loaded.program);
  if (diagnostics.length === 0) {
    write(`No multi-account problems in ${loaded.fileCount} files.\n`);
    return 0;
  }
  const files = new Set(diagnostics.map(diagnostic => diagnostic.file?.fileName));
  write(format(diagnostics));
  const errors = `${diagnostics.length} multi-account error${diagnostics.length === 1 ? '' : 's'}`;
  write(`\nFound ${errors} in ${files.size} file${files.size === 1 ? '' : 's'}.\n`);
  return 1;
}
