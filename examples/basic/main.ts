/**
 * The smallest tour of mikro-multi-account: boot MikroORM on the embedded database (node:sqlite), link two
 * users in one browser session's token, and print what a page would show.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { NodeSqliteDialect, SqliteDriver } from '@mikro-orm/sql';
import { withMultiAccount } from '../../src/index.ts';
import { LinkedAccount, User } from './entities.ts';

const dataDir = resolve(process.env.DATA_DIR ?? '.data');
mkdirSync(dataDir, { recursive: true });
const file = resolve(dataDir, 'basic-example.sqlite');

const orm = await MikroORM.init(
  withMultiAccount({
    driver: SqliteDriver,
    dbName: file,
    driverOptions: new NodeSqliteDialect(file),
    entities: [User, LinkedAccount],
    metadataProvider: ReflectMetadataProvider,
  }),
);
await orm.schema.update();

const em = orm.em.fork();
const userNamed = async (name: string) =>
  (await em.findOne(User, { email: `${name.toLowerCase()}@example.com` })) ??
  em.create(User, { name, email: `${name.toLowerCase()}@example.com` });
const alice = await userNamed('Alice');
const bob = await userNamed('Bob');
await em.flush();

// One browser session = one session token. Alice (signed in) adds Bob's account to it.
const sessionToken = randomUUID();
await em.getRepository(LinkedAccount).createLinkedAccount({ actor: alice, linkedUser: bob, sessionToken });

const primary = await orm.em.fork().getRepository(User).getUserWithLinkedAccounts(alice.id, sessionToken);
console.log(`Database: ${file}`);
console.log(`Session token: ${sessionToken}`);
console.log(`Primary account: ${primary!.name} <${primary!.email}>`);
for (const link of primary!.linkedAccounts) {
  console.log(
    `  linked: ${link.linkedUser.name} <${link.linkedUser.email}> ` +
      `(since ${link.insertedAt.toISOString()}, active: ${link.isActive})`,
  );
}
await orm.close();
