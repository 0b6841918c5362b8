import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MultiAccountTestBrowser, linkAccounts } from '../../src/testing/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = join(root, 'test/install/fixture-app');

async function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { cwd, env: { ...process.env, FORCE_COLOR: '0' }, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/**
 * The package as users get it: `npm pack`, installed into a fresh app outside this repository, the installer
 * run on it, the app type-checked, booted, and linked → switched over HTTP with the package's test helpers.
 */
describe('the packed tarball in a fresh app', () => {
  const work = mkdtempSync(join(tmpdir(), 'mma-package-'));
  const app = join(work, 'fresh-app');
  let tarball: string;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    const packed = await run('npm', ['pack', '--pack-destination', work], root);
    expect(packed.code, packed.output).toBe(0);
    tarball = join(work, readdirSync(work).find(name => name.endsWith('.tgz'))!);
    cpSync(join(fixture, 'src'), join(app, 'src'), { recursive: true });
    cpSync(join(fixture, 'tsconfig.json'), join(app, 'tsconfig.json'));
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify(
        {
          name: 'fresh-app',
          private: true,
          type: 'module',
          dependencies: {
            'mikro-multi-account': `file:${tarball}`,
            '@mikro-orm/core': '7.2.1',
            '@mikro-orm/decorators': '7.2.1',
            '@mikro-orm/sql': '7.2.1',
            koa: '3.2.1',
            'koa-session': '7.0.2',
            'reflect-metadata': '0.2.2',
          },
          devDependencies: { typescript: '6.0.3', '@types/koa': '3.0.3', '@types/node': '24.12.0' },
        },
        null,
        2,
      ),
    );
    const installed = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app);
    expect(installed.code, installed.output).toBe(0);
  }, 300_000);

  afterAll(() => {
    server?.kill();
    rmSync(work, { recursive: true, force: true });
  });

  it('passes publint and arethetypeswrong (ESM-only package)', async () => {
    const publint = await run(process.execPath, [join(root, 'node_modules/publint/src/cli.js'), '--strict'], root);
    expect(publint.code, publint.output).toBe(0);
    expect(publint.output).toContain('All good!');
    const attw = await run(process.execPath, [join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js'), tarball, '--profile', 'esm-only'], root);
    expect(attw.code, attw.output).toBe(0);
  });

  it('installs into the app, type-checks, boots, links and switches', async () => {
    const bin = join(app, 'node_modules/mikro-multi-account/dist/src/cli/main.js');
    const installer = await run(process.execPath, [bin, 'install'], app);
    expect(installer.code, installer.output).toBe(0);
    expect(installer.output).toContain('Changed:');
    expect((await run(process.execPath, [bin, 'install'], app)).output).toContain('Nothing to change');

    const compiled = await run(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
    expect(compiled.code, compiled.output).toBe(0);
    const verified = await run(process.execPath, [bin, 'verify'], app);
    expect(verified.output).toContain('No multi-account problems');

    server = spawn(process.execPath, [join(app, 'dist/server.js')], { cwd: app, env: { ...process.env, PORT: '0', DB_FILE: join(work, 'app.sqlite') } });
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      server!.stdout!.on('data', chunk => {
        output += chunk;
        const match = /listening on (\S+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      server!.stderr!.on('data', chunk => (output += chunk));
      server!.once('exit', code => reject(new Error(`the app exited with ${code}: ${output}`)));
    });

    const browser = new MultiAccountTestBrowser(url);
    const passwords: Record<number, [string, string]> = { 1: ['ann@example.com', 'ann-password'], 2: ['ben@example.com', 'ben-password'] };
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
  });
});
