import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MikroORM, type Options } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property, ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { NodeSqliteDialect, SqliteDriver } from '@mikro-orm/sql';
import { afterAll, expect, it } from 'vitest';
import * as thisCopy from '../../src/index.ts';

// A second copy of the built package, as an app's node_modules and the CLI's (or a monorepo) would hold it.
const root = fileURLToPath(new URL('../../', import.meta.url));
mkdirSync(join(root, 'test-results'), { recursive: true });
const folder = mkdtempSync(join(root, 'test-results', 'second-copy-'));
cpSync(join(root, 'dist/src'), join(folder, 'src'), { recursive: true });
const otherCopy = (await import(pathToFileURL(join(folder, 'src/index.js')).href)) as typeof thisCopy;
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// Entities decorated with the other copy's decorators.
@Entity()
@otherCopy.MultiAccount({ linkedAccountResource: () => CopyLink, displayFields: ['name'] })
class CopyUser {
  @PrimaryKey() id!: number;
  @Property() name!: string;
}

@Entity()
@otherCopy.LinkedAccountResource({ userResource: () => CopyUser })
class CopyLink {}

const sqlite = () => ({ driver: SqliteDriver, dbName: ':memory:', driverOptions: new NodeSqliteDialect(':memory:') });

const config = () => ({ ...sqlite(), entities: [CopyUser, CopyLink], metadataProvider: ReflectMetadataProvider });

it.each([
  ['discovered by this copy', () => thisCopy.withMultiAccount(config())],
  // The app's config wrapped by its copy, then by the CLI's: transformed once, its own table registered once.
  ['wrapped by both copies', () => thisCopy.withMultiAccount(otherCopy.withMultiAccount(config()))],
])('sees the decorators another copy of the package recorded: %s', async (_, wrapped) => {
  expect(otherCopy.withMultiAccount).not.toBe(thisCopy.withMultiAccount);
  const orm = await MikroORM.init(wrapped() as unknown as Options);
  try {
    await orm.schema.create();
    expect(Object.keys(orm.getMetadata().get(CopyLink).properties)).toEqual(
      expect.arrayContaining(['sessionToken', 'primaryUser', 'linkedUser']),
    );
    const em = orm.em.fork();
    const [ann, ben] = [em.create(CopyUser, { name: 'ann' }), em.create(CopyUser, { name: 'ben' })];
    await em.flush();
    const link = await (em.getRepository(CopyLink) as any).createLinkedAccount({
      actor: ann,
      linkedUser: ben.id,
      sessionToken: randomUUID(),
    });
    expect(link.isActive).toBe(true);
  } finally {
    await orm.close();
  }
});
