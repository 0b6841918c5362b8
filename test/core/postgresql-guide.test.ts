import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { MikroORM } from '@mikro-orm/core';
import { afterAll, expect, it } from 'vitest';
import { databaseTargets } from '../support/database-targets.ts';
import { markedFiles, repositoryRoot as root } from '../support/doc-files.ts';
import { eachDatabase } from '../support/matrix.ts';

/**
 * docs/postgresql.md, as written: the README guide's files with the page's config and orm.ts, an initial migration
 * made by MikroORM's CLI (it must create the generated tables), applied, and the guide's program run.
 */
eachDatabase(() => {
  it('runs the guide on PostgreSQL with an initial migration that creates the generated tables', {
    timeout: 120_000,
  }, async () => {
    const page = markedFiles('docs/postgresql.md', 'file');
    const files = [...markedFiles('README.md', 'guide').filter(file => file.path !== 'src/orm.ts'), ...page];
    expect(page.map(file => file.path)).toEqual(['src/mikro-orm.config.ts', 'src/orm.ts']);
    mkdirSync(join(root, 'test-results'), { recursive: true });
    const app = mkdtempSync(join(root, 'test-results', 'postgresql-guide-'));
    const dbName = `mma_guide_${Date.now().toString(36)}`;
    const url = new URL(databaseTargets.postgresql.url!);
    url.pathname = `/${dbName}`;
    const admin = await MikroORM.init({
      ...databaseTargets.postgresql.config('postgres'),
      entities: [],
      discovery: { warnWhenNoEntities: false },
    });
    await admin.em.getConnection().execute(`create database ${dbName}`);
    afterAll(async () => {
      await admin.em.getConnection().execute(`drop database if exists ${dbName} with (force)`);
      await admin.close();
      rmSync(app, { recursive: true, force: true });
    });
    for (const { path, text } of files) {
      mkdirSync(dirname(join(app, path)), { recursive: true });
      writeFileSync(join(app, path), `${text}\n`);
    }
    const env = { ...process.env, DATABASE_URL: url.href };
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, args, { cwd: app, env }).catch(
        (error: { stdout: string; stderr: string }) => error,
      );
    const cli = join(root, 'node_modules/@mikro-orm/cli/cli.js');
    const compiled = await run([join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']);
    expect(`${compiled.stdout}${compiled.stderr}`).toBe('');
    const created = await run([cli, 'migration:create', '--initial', '--config', 'dist/mikro-orm.config.js']);
    expect(created.stdout).toMatch(/Migration\d+\.cjs successfully created/);
    const [migration] = readdirSync(join(app, 'migrations')).filter(name => name.endsWith('.cjs'));
    const sql = readFileSync(join(app, 'migrations', migration!), 'utf8');
    for (const table of ['"user"', '"linked_account"', '"multi_account_session"', '"multi_account_session_account"'])
      expect(sql).toContain(`create table ${table}`);
    const applied = await run([cli, 'migration:up', '--config', 'dist/mikro-orm.config.js']);
    expect(`${applied.stdout}${applied.stderr}`).toContain('Successfully migrated up to the latest version');
    const ran = await run(['dist/main.js']);
    expect([ran.stdout, ran.stderr]).toEqual(["[ 'Bob' ]\n", '']);
  });
}, ['postgresql']);
