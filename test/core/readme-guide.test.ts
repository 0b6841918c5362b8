import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { markedFiles } from '../support/doc-files.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * README "Integrate it in five minutes", exactly as written: each block marked `<!-- guide: path -->` is a file
 * of an app, which is type-checked with the README's tsconfig and run. The app imports the package by its name
 * (the repository's own build, which a folder inside it resolves to).
 */
it('the five-minute guide compiles and runs as written', { timeout: 60_000 }, async () => {
  const files = markedFiles('README.md', 'guide');
  expect(files.map(file => file.path)).toEqual([
    'tsconfig.json',
    'src/user.ts',
    'src/linked-account.ts',
    'src/orm.ts',
    'src/main.ts',
  ]);
  mkdirSync(join(root, 'test-results'), { recursive: true });
  const app = mkdtempSync(join(root, 'test-results', 'readme-guide-'));
  afterAll(() => rmSync(app, { recursive: true, force: true }));
  for (const { path, text } of files) {
    mkdirSync(dirname(join(app, path)), { recursive: true });
    writeFileSync(join(app, path), `${text}\n`);
  }
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, args, { cwd: app }).catch(
      (error: { stdout: string; stderr: string }) => error,
    );
  const compiled = await run([join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']);
  expect(`${compiled.stdout}${compiled.stderr}`).toBe('');
  const ran = await run(['dist/main.js']);
  expect(ran.stderr).toBe('');
  expect(ran.stdout).toBe("[ 'Bob' ]\n");
});
