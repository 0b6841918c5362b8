import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { afterAll, expect, it } from 'vitest';
import { databaseTargets } from '../support/database-targets.ts';
import { markedFiles, repositoryRoot as root, writtenApp } from '../support/doc-files.ts';
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
    const dbName = `mma_guide_${Date.now().toString(36)}`;
    const url = new URL(databaseTargets.postgresql.url!);
    url.pathname = `/${dbName}`;
    const admin = await MikroORM.init({
      ...databaseTargets.postgresql.config('postgres'),
      entities: [],
      discovery: { warnWhenNoEntities: false },
    });
    await admin.em.getConnection().execute(`create database ${dbName}`);
    const app = writtenApp(files, 'postgresql-guide', { DATABASE_URL: url.href });
    afterAll(async () => {
      await admin.em.getConnection().execute(`drop database if exists ${dbName} with (force)`);
      await admin.close();
      app.remove();
    });
    const { run } = app;
    const cli = join(root, 'node_modules/@mikro-orm/cli/cli.js');
    expect(await app.compile()).toBe('');
    const created = await run([cli, 'migration:create', '--initial', '--config', 'dist/mikro-orm.config.js']);
    expect(created.stdout).toMatch(/Migration\d+\.cjs successfully created/);
    const [migration] = readdirSync(join(app.folder, 'migrations')).filter(name => name.endsWith('.cjs'));
    const sql = readFileSync(join(app.folder, 'migrations', migration!), 'utf8');
    for (const table of ['"user"', '"linked_account"', '"multi_account_session"', '"multi_account_session_account"'])
      expect(sql).toContain(`create table ${table}`);
    const applied = await run([cli, 'migration:up', '--config', 'dist/mikro-orm.config.js']);
    expect(`${applied.stdout}${applied.stderr}`).toContain('Successfully migrated up to the latest version');
    const ran = await run(['dist/main.js']);
    expect([ran.stdout, ran.stderr]).toEqual(["[ 'Bob' ]\n", '']);
  });
}, ['postgresql']);
