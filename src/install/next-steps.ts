import { diffLines } from 'diff';
import type { Node, SourceFile } from 'ts-morph';

/**
 * Something the installer could not do by itself, or chose for the app: what to do, and where. `line` is a line of
 * the file as it is on disk when the installer is done: edited, or untouched with `--dry-run`.
 */
export interface NextStep {
  message: string;
  file?: string;
  line?: number;
}

/**
 * The text of the file each step's line was counted in. Steps are made while the codemod edits the files, so a
 * line number is only meaningful together with the text it was counted in; `placeSteps` maps it to the file as
 * it is on disk at the end.
 */
const countedIn = new WeakMap<NextStep, string>();

/** A next step pointing at `node` (its file and first line, as the file reads right now). */
export function stepAt(node: Node | SourceFile, message: string): NextStep {
  const file = node.getSourceFile();
  const step: NextStep = { message, file: file.getFilePath(), line: node.getStartLineNumber() };
  countedIn.set(step, file.getFullText());
  return step;
}

/**
 * The steps with their lines moved to the text each file has on disk once the installer is done: the edited text
 * after a real run, the untouched text with `--dry-run`. A line the installer itself added is not on disk in a
 * dry run; it points at the line that follows it there.
 */
export function placeSteps(steps: NextStep[], onDisk: (file: string) => string | undefined): NextStep[] {
  return steps.map(step => {
    const text = countedIn.get(step);
    const target = step.file === undefined ? undefined : onDisk(step.file);
    if (text === undefined || target === undefined || step.line === undefined) return step;
    return { ...step, line: mapLine(text, target, step.line) };
  });
}

/** Line `line` of `from`, in `to`: the same line when it is in both, else where it would be. */
export function mapLine(from: string, to: string, line: number): number {
  if (from === to) return line;
  let fromLine = 1;
  let toLine = 1;
  for (const part of diffLines(from, to)) {
    if (part.added) {
      toLine += part.count;
      continue;
    }
    if (line < fromLine + part.count) return part.removed ? toLine : toLine + (line - fromLine);
    fromLine += part.count;
    if (!part.removed) toLine += part.count;
  }
  return Math.max(1, Math.min(toLine, to.split('\n').length));
}
