import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/src/cli/main.js');
const builtIndex = pathToFileURL(join(root, 'dist/src/index.js')).href;
const personProperties = "{ id: { type: 'number', primary: true }, name: { type: 'string' } }";

/**
 * An app's MikroORM config as the CLI loads it: plain JS, entities as EntitySchema with the decorators applied
 * by hand, the library imported as built.
 */
const configSource = (file: string) => `
import { EntitySchema } from '@mikro-orm/core';
import { NodeSqliteDialect, SqliteDriver } from '@mikro-orm/sql';
import { LinkedAccountResource, MultiAccount, withMultiAccount } from '${builtIndex}';

export class Person {}
export class PersonLink {}
MultiAccount({ linkedAccountResource: () => PersonLink, linkTtl: 7 * 24 * 60 * 60 * 1000 })(Person);
LinkedAccountResource({ userResource: () => Person })(PersonLink);

export default withMultiAccount({
  driver: SqliteDriver,
  dbName: ${JSON.stringify(file)},
  driverOptions: new NodeSqliteDialect(${JSON.stringify(file)}),
  entities: [
    new EntitySchema({ class: Person, properties: ${personProperties} }),
    new EntitySchema({ class: PersonLink, properties: {} }),
  ],
});
`;

async function runCli(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], { cwd: root });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('npx mikro-multi-account prune', () => {
  let folder: string;
  let configPath: string;

  beforeAll(async () => {
    mkdirSync(join(root, '.data'), { recursive: true });
    folder = mkdtempSync(join(root, '.data', 'prune-'));
    configPath = join(folder, 'mikro-orm.config.js');
    writeFileSync(configPath, configSource(join(folder, 'app.sqlite')));
    const config = await import(pathToFileURL(configPath).href);
    const orm = await MikroORM.init(config.default);
    await orm.schema.create();
    const em = orm.em.fork();
    const people = ['ann', 'ben', 'cat', 'dan'].map(name => em.create(config.Person, { name } as never));
    await em.flush();
    const links = em.getRepository(config.PersonLink) as any;
    const [old, fresh] = [randomUUID(), randomUUID()];
    await links.createLinkedAccount({ actor: people[0], linkedUser: people[1], sessionToken: old });
    await links.createLinkedAccount({ actor: people[0], linkedUser: people[2], sessionToken: old });
    await links.createLinkedAccount({ actor: people[0], linkedUser: people[1], sessionToken: fresh });
    await links.createLinkedAccount({ actor: people[3], linkedUser: people[1], sessionToken: fresh });
    await em.nativeUpdate(
      config.PersonLink,
      { sessionToken: old },
      { updatedAt: new Date(Date.now() - 8 * 24 * 60 * 60 * 1000) },
    );
    // A database that does not enforce foreign keys can leave links pointing at nobody.
    await em.getConnection().execute('pragma foreign_keys = off');
    await em.nativeDelete(config.Person, { name: 'dan' });
    await orm.close();
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('deletes expired and orphaned link rows and reports how many', async () => {
    expect(await runCli(['prune', '--config', configPath, '--batch-size', '1'])).toEqual({
      code: 0,
      output: 'Deleted 2 expired and 1 orphaned link rows, and 0 expired browser-session records.\n',
    });
    expect(await runCli(['prune', '--config', configPath])).toEqual({
      code: 0,
      output: 'Deleted 0 expired and 0 orphaned link rows, and 0 expired browser-session records.\n',
    });
  });

  it('explains a missing config and a bad batch size', async () => {
    const missing = await runCli(['prune', '--config', join(folder, 'nope.js')]);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('error: cannot find the MikroORM config');
    const bad = await runCli(['prune', '--config', configPath, '--batch-size', '0']);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain("option '--batch-size <rows>' argument '0' is invalid. expected a positive integer.");
  });
});
