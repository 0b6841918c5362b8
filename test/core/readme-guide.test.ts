import { afterAll, expect, it } from 'vitest';
import { markedFiles, writtenApp } from '../support/doc-files.ts';

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
  const app = writtenApp(files, 'readme-guide');
  afterAll(app.remove);
  expect(await app.compile()).toBe('');
  const ran = await app.run(['dist/main.js']);
  expect(ran.stderr).toBe('');
  expect(ran.stdout).toBe("[ 'Bob' ]\n");
});
