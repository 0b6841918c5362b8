import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { EntityRepository, type EntityMetadata } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { describe, expect, it } from 'vitest';
import { LinkedAccountResource, MultiAccount } from '../../src/index.ts';
import { LinkedAccount, User } from '../fixtures/default-entities.ts';
import { createTestOrm } from '../support/test-orm.ts';

class AuditedLinkRepository extends EntityRepository<AuditedLink> {
  countAll() {
    return this.count();
  }
}

@Entity()
@MultiAccount({ linkedAccountResource: () => AuditedLink })
class Owner {
  @PrimaryKey() id!: number;
  @Property() name!: string;
}

@Entity({ repository: () => AuditedLinkRepository })
@LinkedAccountResource({ userResource: () => Owner })
class AuditedLink {
  @PrimaryKey() id!: number;
  @Property({ type: 'uuid', fieldName: 'browser_session' }) sessionToken!: string;
  @Property({ nullable: true }) note?: string;
}

describe('what the app declared itself', () => {
  it('is kept: its primary key, column names, extra columns and repository', async () => {
    const { orm, close } = await createTestOrm('sqlite', [Owner, AuditedLink]);
    try {
      const meta = orm.getMetadata().get(AuditedLink);
      expect(meta.primaryKeys).toEqual(['id']);
      expect(meta.properties.id.type).toBe('number');
      expect(meta.properties.sessionToken.fieldNames).toEqual(['browser_session']);
      expect(Object.keys(meta.properties)).toEqual(
        expect.arrayContaining(['note', 'status', 'primaryUser', 'linkedUser', 'insertedAt']),
      );

      const em = orm.em.fork();
      const [alice, bob] = [em.create(Owner, { name: 'alice' }), em.create(Owner, { name: 'bob' })];
      await em.flush();
      const repository = em.getRepository(AuditedLink) as AuditedLinkRepository & { createLinkedAccount: Function };
      expect(repository).toBeInstanceOf(AuditedLinkRepository);
      const link = await repository.createLinkedAccount({ actor: alice, linkedUser: bob, sessionToken: randomUUID() });
      expect(typeof link.id).toBe('number');
      expect(await repository.countAll()).toBe(1);
    } finally {
      await close();
    }
  });

  it('keeps the discovery hooks the app already had', async () => {
    const seen: string[] = [];
    let afterDiscovered = false;
    const { orm, close } = await createTestOrm('sqlite', [User, LinkedAccount], {
      discovery: {
        onMetadata: (meta: EntityMetadata) => void seen.push(meta.className),
        afterDiscovered: () => void (afterDiscovered = true),
      },
    });
    try {
      expect(seen.sort()).toEqual(['LinkedAccount', 'MultiAccountSession', 'MultiAccountSessionAccount', 'User']);
      expect(afterDiscovered).toBe(true);
      expect(orm.getMetadata().get(LinkedAccount).properties.sessionToken).toBeDefined();
    } finally {
      await close();
    }
  });

  it('lets MikroORM migrations create the generated table, then find nothing more to do', async () => {
    // Inside the project, so the generated migration file can import @mikro-orm/migrations.
    const dataDir = fileURLToPath(new URL('../../.data/', import.meta.url));
    mkdirSync(dataDir, { recursive: true });
    const path = mkdtempSync(join(dataDir, 'migrations-'));
    const { orm, close } = await createTestOrm(
      'sqlite',
      [User, LinkedAccount],
      { extensions: [Migrator], migrations: { path, snapshot: false } },
      { createSchema: false },
    );
    try {
      const first = await orm.migrator.create();
      expect(first.diff.up.join('\n')).toMatch(
        /create table `linked_account`[^;]*`session_token`[^;]*on delete cascade/,
      );
      expect(first.diff.up.join('\n')).toContain(
        'create unique index `linked_account_primary_user_id_linked_user_id_session_token_unique`',
      );
      await orm.migrator.up();
      const second = await orm.migrator.create();
      expect(second.diff.up).toEqual([]);
    } finally {
      await close();
      rmSync(path, { recursive: true, force: true });
    }
  });
});
