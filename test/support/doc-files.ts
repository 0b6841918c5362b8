import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The code blocks of a page marked `<!-- <marker>: path -->`: the files of an app it writes out. */
export function markedFiles(page: string, marker: 'guide' | 'file'): { path: string; text: string }[] {
  const text = readFileSync(join(repositoryRoot, page), 'utf8');
  const pattern = new RegExp(`<!-- ${marker}: (\\S+) -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\\n\`\`\``, 'g');
  return [...text.matchAll(pattern)].map(([, path, body]) => ({ path: path!, text: body! }));
}

/**
 * An app made of `files`, written out in a fresh folder under test-results (inside the repository, so the package
 * resolves to its own build); `run` runs Node there and never throws, and `compile` runs tsc.
 */
export function writtenApp(files: { path: string; text: string }[], name: string, env: NodeJS.ProcessEnv = {}) {
  mkdirSync(join(repositoryRoot, 'test-results'), { recursive: true });
  const folder = mkdtempSync(join(repositoryRoot, 'test-results', `${name}-`));
  for (const { path, text } of files) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), `${text}\n`);
  }
  const run = (args: string[]): Promise<{ stdout: string; stderr: string }> =>
    promisify(execFile)(process.execPath, args, { cwd: folder, env: { ...process.env, ...env } }).catch(
      (error: { stdout: string; stderr: string }) => error,
    );
  return {
    folder,
    run,
    /** tsc with the app's tsconfig: what it printed (nothing when it compiled). */
    compile: async () => {
      const compiled = await run([join(repositoryRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']);
      return `${compiled.stdout}${compiled.stderr}`;
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
