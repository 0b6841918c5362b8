import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../support/run-command.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Bytes on disk below `path` (files and folders, symlinks not followed). */
function sizeOf(path: string): number {
  const stat = lstatSync(path);
  return stat.isDirectory()
    ? readdirSync(path).reduce((total, name) => total + sizeOf(join(path, name)), 0)
    : stat.size;
}

/** The packages npm installed, by their path in node_modules. */
const installedPackages = (app: string) =>
  Object.keys(
    (JSON.parse(readFileSync(join(app, 'node_modules/.package-lock.json'), 'utf8')) as { packages: object }).packages,
  );

/** What `npm install mikro-multi-account` adds to an app that already runs Koa, koa-session and MikroORM. */
describe('the install footprint', () => {
  const work = mkdtempSync(join(tmpdir(), 'mma-footprint-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('adds at most 5 MB; the commands that need TypeScript or ts-morph say so, and prune needs neither', {
    timeout: 240_000,
  }, async () => {
    const packed = await runCommand('npm', ['pack', '--pack-destination', work], root);
    expect(packed.code, packed.output).toBe(0);
    const tarball = join(work, readdirSync(work).find(name => name.endsWith('.tgz'))!);
    const app = join(work, 'app');
    const dependencies = {
      '@koa/router': '15.7.0',
      '@mikro-orm/core': '7.2.1',
      '@mikro-orm/decorators': '7.2.1',
      '@mikro-orm/sql': '7.2.1',
      koa: '3.2.1',
      'koa-session': '7.0.2',
      'reflect-metadata': '0.2.2',
    };
    rmSync(app, { recursive: true, force: true });
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'an-app', private: true, type: 'module', dependencies }, null, 2),
    );
    const npm = (...args: string[]) =>
      runCommand('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app);
    expect((await npm('install')).code).toBe(0);
    const before = { packages: new Set(installedPackages(app)), bytes: sizeOf(join(app, 'node_modules')) };
    const added = await npm('install', tarball);
    expect(added.code, added.output).toBe(0);
    const newPackages = installedPackages(app).filter(path => path !== '' && !before.packages.has(path));
    const bytes = sizeOf(join(app, 'node_modules')) - before.bytes;
    const names = newPackages.map(path => path.replace(/^node_modules\//, '')).join(', ');
    console.log(
      `mikro-multi-account adds ${newPackages.length} packages, ${(bytes / 1024 / 1024).toFixed(2)} MB: ${names}`,
    );
    expect(bytes).toBeLessThanOrEqual(5 * 1024 * 1024);
    for (const heavy of ['typescript', 'ts-morph', 'diff', 'tough-cookie'])
      expect(newPackages).not.toContain(`node_modules/${heavy}`);

    const bin = join(app, 'node_modules/mikro-multi-account/dist/src/cli/main.js');
    const install = await runCommand(process.execPath, [bin, 'install'], app);
    expect(install.code).toBe(1);
    // Both missing: both named at once.
    expect(install.output).toContain('`mikro-multi-account install` needs ts-morph and diff');
    expect(install.output).toContain('(missing: ts-morph, diff)');
    expect(install.output).toContain('npm install --save-dev ts-morph diff');
    const version = await runCommand(process.execPath, [bin, '--version'], app);
    expect([version.code, version.output.trim()]).toEqual([
      0,
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version,
    ]);
    const verify = await runCommand(process.execPath, [bin, 'verify'], app);
    expect(verify.code).toBe(1);
    expect(verify.output).toContain('npm install --save-dev typescript');
    // prune runs without either: it gets as far as looking for the app's MikroORM config.
    const prune = await runCommand(process.execPath, [bin, 'prune', '--config', 'no-such-config.js'], app);
    expect(prune.code).toBe(1);
    expect(prune.output).toContain('cannot find the MikroORM config');
  });
});
