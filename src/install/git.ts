import { execFileSync } from 'node:child_process';
import { posix } from 'node:path';

/** What `npm install mikro-multi-account` (or yarn, pnpm) writes: the manifest and the lockfile. */
const dependencyFiles = new Set([
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
]);

/**
 * Uncommitted changes in the git work tree at `cwd` (`git status --porcelain` lines), or an empty list (also when
 * `cwd` is not in a git repository). Changes to package.json and the lockfile — at `cwd` or, in a workspace, in a
 * folder above it — do not count: installing the package has just written them.
 */
export function uncommittedChanges(cwd: string): string[] {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const prefix = git('rev-parse', '--show-prefix').trim();
    return parseStatus(git('status', '--porcelain', '-z'))
      .filter(entry => !isDependencyInstall(entry, prefix))
      .map(({ status, path, from }) => `${status} ${from === undefined ? '' : `${from} -> `}${path}`);
  } catch {
    return [];
  }
}

interface StatusEntry {
  /** The two status letters: ` M`, `M `, `A `, `??`, `R `… */
  status: string;
  /** Relative to the repository root. */
  path: string;
  /** Where a renamed or copied file came from. */
  from?: string;
}

/** `git status --porcelain -z`: `XY path` NUL-separated, a rename or copy followed by its source path. */
function parseStatus(output: string): StatusEntry[] {
  const fields = output.split('\0');
  const entries: StatusEntry[] = [];
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index]!;
    if (field.length < 4) continue;
    const status = field.slice(0, 2);
    const entry: StatusEntry = { status, path: field.slice(3) };
    if (status.includes('R') || status.includes('C')) entry.from = fields[++index];
    entries.push(entry);
  }
  return entries;
}

/**
 * A modified or new package.json of the app (`prefix` is the app's folder in the repository), a lockfile of the
 * app or of a workspace above it, or an untracked node_modules folder of either.
 */
function isDependencyInstall({ status, path, from }: StatusEntry, prefix: string): boolean {
  if (from !== undefined || !/^(M|A|\?| )(M| |\?)$/.test(status) || status === '  ') return false;
  const folder = posix.dirname(path.replace(/\/$/, ''));
  const name = posix.basename(path.replace(/\/$/, ''));
  const inApp = folder === '.' ? prefix === '' : `${folder}/` === prefix;
  const aboveApp = folder === '.' || prefix.startsWith(`${folder}/`);
  if (name === 'package.json') return inApp;
  if (name === 'node_modules' && status === '??') return aboveApp;
  return dependencyFiles.has(name) && aboveApp;
}
