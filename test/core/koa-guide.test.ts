import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { MultiAccountTestBrowser } from '../../src/testing/index.ts';
import { markedFiles, writtenApp } from '../support/doc-files.ts';

/**
 * docs/koa.md's app, exactly as written: the README guide's files and the page's `<!-- file: … -->` block, compiled
 * with the guide's tsconfig and run; then a browser signs in, adds an account, switches and signs out over HTTP.
 */
it('the Koa set-up of docs/koa.md compiles, runs and links two accounts', { timeout: 60_000 }, async () => {
  const files = [...markedFiles('README.md', 'guide'), ...markedFiles('docs/koa.md', 'file')];
  expect(files.map(file => file.path)).toContain('src/app.ts');
  const app = writtenApp(files, 'koa-guide');
  let server: ChildProcess | undefined;
  afterAll(() => {
    server?.kill();
    app.remove();
  });
  expect(await app.compile()).toBe('');
  // The guide's step 5 makes Alice (1) and Bob (2).
  expect((await app.run(['dist/main.js'])).stdout).toBe("[ 'Bob' ]\n");

  server = spawn(process.execPath, ['dist/app.js'], { cwd: app.folder, env: { ...process.env, PORT: '0' } });
  const url = await new Promise<string>((resolve, reject) => {
    server!.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening on (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    server!.on('exit', code => reject(new Error(`the app exited with ${code}`)));
  });

  const browser = new MultiAccountTestBrowser(url);
  const signIn = async (email: string, path = '/sign-in') => {
    const form = (await browser.get(path)).text;
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form)![1]!;
    const fields = { _csrf: field('_csrf'), return_to: field('return_to'), email, password: 'correct horse' };
    return browser.post('/sign-in', fields);
  };
  expect((await signIn('alice@example.com')).status).toBe(303);
  expect((await browser.get('/')).text).toContain('<h1>Signed in as Alice</h1>');
  const signInToAdd = await browser.startLinking(1);
  expect(signInToAdd).toBe('/sign-in?return_to=%2Flink%2Fp%2F1');
  expect((await signIn('bob@example.com', signInToAdd!)).location).toBe('/link/p/1');
  expect((await browser.confirmLink(1)).status).toBe(303);
  expect((await browser.accounts()).accounts.map(account => account.name)).toEqual(['Alice', 'Bob']);
  const home = (await browser.get('/')).text;
  expect(home).toContain('<h1>Signed in as Bob</h1>');
  expect(home).toContain('Switch to </span>');
  expect((await browser.switchTo(1)).status).toBe(303);
  expect((await browser.get('/')).text).toContain('<h1>Signed in as Alice</h1>');
  const csrf = /name="_csrf" value="([^"]*)"/.exec((await browser.get('/')).text)![1]!;
  expect((await browser.post('/sign-out', { _csrf: csrf })).location).toBe('/sign-in');
  expect((await browser.get('/')).location).toBe('/sign-in');
});
