import { execFileSync } from 'node:child_process';

/** Uncommitted changes in the git work tree at `cwd`, or an empty list (also when `cwd` is not in a git repository). */
export function uncommittedChanges(cwd: string): string[] {
  try {
    return execFileSync('git', ['status', '--porcelain'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}
