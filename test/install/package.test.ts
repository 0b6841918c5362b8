import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../support/run-command.ts';
import { MultiAccountTestBrowser, linkAccounts } from '../../src/testing/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const mikroOrm = { '@mikro-orm/core': '7.2.1', '@mikro-orm/decorators': '7.2.1', '@mikro-orm/sql': '7.2.1' };
// What the apps build with, and what the installer needs (optional peers of the package).
const toolchain = {
  typescript: '6.0.3',
  '@types/koa': '3.0.3',
  '@types/node': '24.12.0',
  'ts-morph': '28.0.0',
  diff: '9.0.0',
};

/**
 * The package as users get it: `npm pack`, installed into fresh apps outside this repository, the installer
 * run on each, the app type-checked, booted, and linked → switched over HTTP with the package's test helpers.
 * One `npm install` serves both apps: they are the two workspaces of one folder, each with its own package.json.
 */
describe('the packed tarball in fresh apps', () => {
  const work = mkdtempSync(join(tmpdir(), 'mma-package-'));
  const bin = join(work, 'node_modules/mikro-multi-account/dist/src/cli/main.js');
  const tsc = join(work, 'node_modules/typescript/bin/tsc');
  const servers: ChildProcess[] = [];
  let tarball: string;

  /** Copies a fixture app into the workspace with its package.json. */
  function freshApp(
    fixture: string,
    name: string,
    dependencies: Record<string, string>,
    devDependencies: Record<string, string>,
  ): string {
    const app = join(work, name);
    cpSync(join(root, 'test/install', fixture, 'src'), join(app, 'src'), { recursive: true });
    cpSync(join(root, 'test/install', fixture, 'tsconfig.json'), join(app, 'tsconfig.json'));
    const manifest = {
      name,
      private: true,
      type: 'module',
      dependencies: { 'mikro-multi-account': `file:${tarball}`, ...dependencies },
      devDependencies,
    };
    writeFileSync(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return app;
  }

  /** Boots the app's compiled server on a free port, with its own database file. */
  async function boot(app: string): Promise<string> {
    const server = spawn(process.execPath, [join(app, 'dist/server.js')], {
      cwd: app,
      env: { ...process.env, PORT: '0', DB_FILE: join(app, 'app.sqlite') },
    });
    servers.push(server);
    return new Promise<string>((resolve, reject) => {
      let output = '';
      server.stdout!.on('data', chunk => {
        output += chunk;
        const match = /listening on (\S+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      server.stderr!.on('data', chunk => (output += chunk));
      server.once('exit', code => reject(new Error(`the app exited with ${code}: ${output}`)));
    });
  }

  /** Runs the installer (twice: the second run changes nothing), then tsc and `verify`. */
  async function installAndBuild(app: string): Promise<string> {
    const installer = await runCommand(process.execPath, [bin, 'install'], app);
    expect(installer.code, installer.output).toBe(0);
    expect(installer.output).toContain('Changed:');
    expect((await runCommand(process.execPath, [bin, 'install'], app)).output).toContain('Nothing to change');
    const compiled = await runCommand(process.execPath, [tsc, '-p', 'tsconfig.json'], app);
    expect(compiled.code, compiled.output).toBe(0);
    const verified = await runCommand(process.execPath, [bin, 'verify'], app);
    expect(verified.code, verified.output).toBe(0);
    expect(verified.output).toContain('No multi-account problems');
    return installer.output;
  }

  let plainApp: string;
  let passportApp: string;

  beforeAll(async () => {
    mkdirSync(join(work, 'pack'));
    const packed = await runCommand('npm', ['pack', '--pack-destination', join(work, 'pack')], root);
    expect(packed.code, packed.output).toBe(0);
    tarball = join(work, 'pack', readdirSync(join(work, 'pack')).find(name => name.endsWith('.tgz'))!);
    plainApp = freshApp(
      'fixture-app',
      'fresh-app',
      { ...mikroOrm, '@koa/router': '15.7.0', koa: '3.2.1', 'koa-session': '7.0.2', 'reflect-metadata': '0.2.2' },
      toolchain,
    );
    passportApp = freshApp(
      'passport-fixture-app',
      'passport-app',
      {
        ...mikroOrm,
        // A range, as `npm install @mikro-orm/core` writes it: the installer pins it.
        '@mikro-orm/core': '^7.2.1',
        '@koa/router': '15.7.0',
        koa: '3.2.1',
        'koa-passport': '6.0.0',
        'koa-session': '7.0.2',
        'passport-local': '1.0.0',
        'reflect-metadata': '0.2.2',
      },
      { ...toolchain, '@types/koa-passport': '6.0.3', '@types/passport-local': '1.0.38' },
    );
    writeFileSync(
      join(work, 'package.json'),
      JSON.stringify({ name: 'fresh-apps', private: true, workspaces: ['fresh-app', 'passport-app'] }, null, 2),
    );
    const installed = await runCommand(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
      work,
    );
    expect(installed.code, installed.output).toBe(0);
  }, 300_000);

  afterAll(() => {
    for (const server of servers) server.kill();
    rmSync(work, { recursive: true, force: true });
  });

  // The checks are independent of each other: run them side by side.
  it.concurrent('passes publint and arethetypeswrong (ESM-only package)', async () => {
    const publint = await runCommand(
      process.execPath,
      [join(root, 'node_modules/publint/src/cli.js'), '--strict'],
      root,
    );
    expect(publint.code, publint.output).toBe(0);
    expect(publint.output).toContain('All good!');
    const attw = await runCommand(
      process.execPath,
      [join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js'), tarball, '--profile', 'esm-only'],
      root,
    );
    expect(attw.code, attw.output).toBe(0);
  });

  it.concurrent('installs into the app, type-checks, boots, links and switches', { timeout: 120_000 }, async () => {
    await installAndBuild(plainApp);
    const url = await boot(plainApp);

    const browser = new MultiAccountTestBrowser(url);
    const passwords: Record<number, [string, string]> = {
      1: ['ann@example.com', 'ann-password'],
      2: ['ben@example.com', 'ben-password'],
    };
    const signIn = async (person: MultiAccountTestBrowser, id: number) => {
      const [email, password] = passwords[id]!;
      expect((await person.postJson('/login', { email, password })).status).toBe(200);
    };
    await linkAccounts(browser, { primary: 1, linked: 2, signIn });
    const linked = await browser.accounts();
    expect(linked.currentUser.id).toBe('2');
    expect(linked.accounts.map(account => account.id)).toEqual(['1', '2']);
    expect((await browser.switchTo(1)).status).toBe(303);
    expect((await browser.accounts()).currentUser.id).toBe('1');
    // The switcher's browser modules ship in the package, and its routes serve them.
    const element = await browser.get('/link/switcher/element.js');
    expect(element.status).toBe(200);
    expect(element.text).toContain("customElements.define('mma-account-switcher'");
    expect((await browser.get('/link/switcher/markup.js')).text).toContain('export function switcherMarkup');
  });

  it.concurrent(`wires a koa-passport app: its own login links a second account, \
and passport's user follows a switch`, {
    timeout: 120_000,
  }, async () => {
    const output = await installAndBuild(passportApp);
    expect(output).toContain('@mikro-orm/core ^7.2.1 → 7.2.1');
    expect(JSON.parse(readFileSync(join(passportApp, 'package.json'), 'utf8')).dependencies['@mikro-orm/core']).toBe(
      '7.2.1',
    );
    expect(readFileSync(join(passportApp, 'src/app.ts'), 'utf8')).not.toContain('putUserId');
    const url = await boot(passportApp);

    const browser = new MultiAccountTestBrowser(url);
    /** The app's own sign-in form, handled by passport-local and `ctx.login(user)`. */
    const signIn = async (email: string, returnTo?: string) => {
      const response = await browser.post('/login', {
        email,
        password: `${email.split('@')[0]}-password`,
        ...(returnTo ? { return_to: returnTo } : {}),
      });
      expect(response.status, response.text).toBe(303);
      return response.location;
    };
    /** Who the app itself thinks is signed in: its page prints passport's `ctx.state.user`. */
    const home = async () => /<p>(.*)<\/p>/.exec((await browser.get('/')).text)?.[1];

    expect(await signIn('ann@example.com')).toBe('/');
    expect(await home()).toBe('Signed in as Ann &lt;ann@example.com&gt;');

    // "Add account": the app's own /login page (signInPath), and back to the link route from it.
    const signInPage = await browser.startLinking(1);
    expect(signInPage).toBe(`/login?return_to=${encodeURIComponent('/link/p/1')}`);
    const returnTo = /name="return_to" value="([^"]*)"/.exec((await browser.get(signInPage!)).text)?.[1];
    expect(returnTo).toBe('/link/p/1');
    expect(await signIn('ben@example.com', returnTo)).toBe('/link/p/1');
    expect((await browser.confirmLink(1)).status).toBe(303);
    expect(await home()).toBe('Signed in as Ben &lt;ben@example.com&gt;');

    const linked = await browser.accounts();
    expect(linked.currentUser.id).toBe('2');
    // The proposed displayFields reach the switcher.
    expect(linked.accounts.map(account => [account.id, account.name, account.email])).toEqual([
      ['1', 'Ann', 'ann@example.com'],
      ['2', 'Ben', 'ben@example.com'],
    ]);

    expect((await browser.switchTo(1)).status).toBe(303);
    expect((await browser.accounts()).currentUser.id).toBe('1');
    expect(await home()).toBe('Signed in as Ann &lt;ann@example.com&gt;');

    // The app's own sign-out (ctx.logout()) ends the browser session.
    expect((await browser.post('/logout')).status).toBe(303);
    expect(await home()).toBe('Not signed in');
    expect((await browser.get('/link/accounts')).status).toBe(401);
  });
});
