import { randomUUID } from 'node:crypto';
import { wrap, type EntityManager } from '@mikro-orm/core';
import { expect, it } from 'vitest';
import { MultiAccountError } from '../../src/index.ts';
import { eachDatabaseAndPair } from '../support/matrix.ts';
import { newUsers as createUsers } from '../support/users.ts';

eachDatabaseAndPair(({ pair, db }) => {
  const { names } = pair;
  const fork = () => db().orm.em.fork();
  const links = (em: EntityManager) => em.getRepository(pair.linkClass) as any;
  const idOf = (user: any) => user[pair.userId];

  const newUsers = (count: number, options?: { active?: boolean }) => createUsers(db().orm, pair, count, options);

  function link(primary: any, linked: any, sessionToken: string, em = fork()) {
    return links(em)[names.create]({ actor: primary, linkedUser: linked, sessionToken });
  }

  const rejection = (code: string) => expect.objectContaining({ name: 'MultiAccountError', code });

  it('creates an active link in the session, the primary user acting', async () => {
    const [alice, bob] = await newUsers(2);
    const token = randomUUID();
    const created = await link(alice, idOf(bob), token);
    expect(created[names.token]).toBe(token);
    expect(created[names.status]).toBe('active');
    expect(created.isActive).toBe(true);
    expect(idOf(created[names.primary])).toBe(idOf(alice));
    expect(idOf(created[names.linked])).toBe(idOf(bob));
    expect(created.insertedAt).toBeInstanceOf(Date);
    expect(created.updatedAt).toBeInstanceOf(Date);

    const stored = await links(fork())[names.read](created.id);
    expect(stored[names.token]).toBe(token);
    expect(idOf(stored[names.linked])).toBe(idOf(bob));
  });

  it('refuses without an actor, a link to oneself, and bad arguments', async () => {
    const [alice, bob] = await newUsers(2);
    const token = randomUUID();
    await expect(link(undefined, bob, token)).rejects.toEqual(rejection('NO_ACTOR'));
    await expect(link(null, bob, token)).rejects.toEqual(rejection('NO_ACTOR'));
    await expect(link(alice, idOf(alice), token)).rejects.toEqual(rejection('SELF_LINK'));
    await expect(link(alice, bob, 'not-a-uuid')).rejects.toEqual(rejection('INVALID_ARGUMENT'));
    await expect(link(alice, bob, undefined as never)).rejects.toEqual(rejection('MISSING_ARGUMENT'));
    await expect(link(alice, { evil: true }, token)).rejects.toEqual(rejection('NOT_FOUND'));
  });

  it('refuses linked users that do not exist or fail activeCheck, and an inactive primary', async () => {
    const [alice, bob] = await newUsers(2);
    const [sleeper] = await newUsers(1, { active: false });
    const token = randomUUID();
    const missingId = pair.userId === 'uuid' ? randomUUID() : 987654321;
    await expect(link(alice, missingId, token)).rejects.toEqual(rejection('NOT_FOUND'));
    await expect(link(alice, 'x; drop table users', token)).rejects.toEqual(rejection('NOT_FOUND'));
    await expect(link(alice, idOf(sleeper), token)).rejects.toEqual(rejection('INACTIVE_USER'));
    await expect(link(sleeper, idOf(bob), token)).rejects.toEqual(rejection('INACTIVE_USER'));
    expect(await fork().count(pair.linkClass, { [names.token]: token })).toBe(0);
  });

  it('reports a duplicate link in the same session as its own error, and allows it in another session', async () => {
    const [alice, bob] = await newUsers(2);
    const token = randomUUID();
    await link(alice, bob, token);
    const duplicate = await link(alice, bob, token).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(MultiAccountError);
    expect(duplicate).toMatchObject({
      code: 'ALREADY_LINKED',
      message: 'This account is already linked in this session.',
    });
    await expect(link(alice, bob, randomUUID())).resolves.toBeTruthy();
  });

  it('holds at most maxLinkedAccounts active links per primary and session token', async () => {
    const [alice, ...others] = await newUsers(pair.max + 2);
    const token = randomUUID();
    const created = [];
    for (const other of others.slice(0, pair.max)) created.push(await link(alice, other, token));
    await expect(link(alice, others[pair.max], token)).rejects.toEqual(rejection('MAX_LINKED_ACCOUNTS'));
    // Another session token has its own allowance.
    await expect(link(alice, others[pair.max], randomUUID())).resolves.toBeTruthy();

    // A deactivated link makes room; reactivating it while full is refused.
    await links(fork())[names.deactivate](created[0].id, { actor: alice });
    await link(alice, others[pair.max], token);
    await expect(links(fork())[names.activate](created[0].id, { actor: alice })).rejects.toEqual(
      rejection('MAX_LINKED_ACCOUNTS'),
    );
    expect(
      await fork().count(pair.linkClass, {
        [names.primary]: idOf(alice),
        [names.token]: token,
        [names.status]: 'active',
      }),
    ).toBe(pair.max);
  });

  it('lists only active links of the session, oldest first, users loaded with display fields', async () => {
    const [alice, bob, carol, dave, erin] = await newUsers(5);
    const token = randomUUID();
    await link(alice, bob, token);
    const second = await link(alice, carol, token);
    await link(alice, erin, randomUUID()); // another session
    await link(bob, dave, token); // another primary
    await links(fork())[names.deactivate](second.id, { actor: alice });
    await link(alice, dave, token);

    const listed = await links(fork())[names.list]({ primaryUser: idOf(alice), sessionToken: token });
    expect(listed.map((row: any) => idOf(row[names.linked]))).toEqual([idOf(bob), idOf(dave)]);
    for (const row of listed) {
      expect(row.isActive).toBe(true);
      for (const relation of [names.primary, names.linked]) {
        expect(wrap(row[relation]).isInitialized()).toBe(true);
        for (const field of pair.displayFields) expect(row[relation][field]).toEqual(expect.any(String));
      }
    }
  });

  it('leaves out linked users that no longer pass activeCheck', async () => {
    const [alice, bob, carol] = await newUsers(3);
    const token = randomUUID();
    await link(alice, bob, token);
    await link(alice, carol, token);
    const em = fork();
    const storedBob = await em.findOneOrFail(pair.userClass, idOf(bob));
    pair.setActive(storedBob, false);
    await em.flush();
    const listed = await links(fork())[names.list]({ primaryUser: alice, sessionToken: token });
    expect(listed.map((row: any) => idOf(row[names.linked]))).toEqual([idOf(carol)]);
  });

  it('keeps two session tokens apart', async () => {
    const [alice, bob, carol] = await newUsers(3);
    const [first, second] = [randomUUID(), randomUUID()];
    await link(alice, bob, first);
    await link(alice, carol, second);
    const list = (token: string) => links(fork())[names.list]({ primaryUser: alice, sessionToken: token });
    expect((await list(first)).map((row: any) => idOf(row[names.linked]))).toEqual([idOf(bob)]);
    expect((await list(second)).map((row: any) => idOf(row[names.linked]))).toEqual([idOf(carol)]);
    expect(await list(randomUUID())).toEqual([]);
  });

  it('lets only the primary user activate or deactivate a link', async () => {
    const [alice, bob, mallory] = await newUsers(3);
    const created = await link(alice, bob, randomUUID());
    for (const actor of [bob, mallory]) {
      await expect(links(fork())[names.deactivate](created.id, { actor })).rejects.toEqual(rejection('NOT_AUTHORIZED'));
    }
    await expect(links(fork())[names.deactivate](created.id, {})).rejects.toEqual(rejection('NO_ACTOR'));
    const deactivated = await links(fork())[names.deactivate](created.id, { actor: alice });
    expect(deactivated.isActive).toBe(false);
    expect((await links(fork())[names.read](created.id))[names.status]).toBe('inactive');
    await expect(links(fork())[names.activate](created.id, { actor: mallory })).rejects.toEqual(
      rejection('NOT_AUTHORIZED'),
    );
    const activated = await links(fork())[names.activate](created.id, { actor: idOf(alice) });
    expect(activated[names.status]).toBe('active');
    await expect(links(fork())[names.activate](randomUUID(), { actor: alice })).rejects.toEqual(rejection('NOT_FOUND'));
  });

  it('reads one link, and lets its primary or linked user (nobody else) destroy it', async () => {
    const [alice, bob, carol, mallory] = await newUsers(4);
    const token = randomUUID();
    const first = await link(alice, bob, token);
    const second = await link(alice, carol, token);
    await expect(links(fork())[names.read]('not-an-id')).rejects.toEqual(rejection('NOT_FOUND'));
    await expect(links(fork())[names.destroy](first.id, { actor: mallory })).rejects.toEqual(
      rejection('NOT_AUTHORIZED'),
    );
    await links(fork())[names.destroy](first.id, { actor: bob });
    await links(fork())[names.destroy](second.id, { actor: alice });
    await expect(links(fork())[names.read](first.id)).rejects.toEqual(rejection('NOT_FOUND'));
    expect(await fork().count(pair.linkClass, { [names.token]: token })).toBe(0);
  });

  it('refuses to change the primary user, linked user or session token of a link', async () => {
    const [alice, bob, mallory] = await newUsers(3);
    const token = randomUUID();
    const created = await link(alice, bob, token);
    const changes: [string, (em: EntityManager) => Promise<unknown>][] = [
      [names.token, async () => randomUUID()],
      [names.primary, em => em.findOneOrFail(pair.userClass, idOf(mallory))],
      [names.linked, em => em.findOneOrFail(pair.userClass, idOf(mallory))],
    ];
    for (const [field, newValue] of changes) {
      const em = fork();
      const stored = await em.findOneOrFail(pair.linkClass, created.id);
      (stored as any)[field] = await newValue(em);
      await expect(em.flush()).rejects.toEqual(rejection('IMMUTABLE_FIELD'));
    }
    const reread = await links(fork())[names.read](created.id);
    expect(reread[names.token]).toBe(token);
    expect(idOf(reread[names.primary])).toBe(idOf(alice));
    expect(idOf(reread[names.linked])).toBe(idOf(bob));
    // The status is not an owner field: it may change.
    const em = fork();
    const stored: any = await em.findOneOrFail(pair.linkClass, created.id);
    stored[names.status] = 'inactive';
    await em.flush();
    expect(stored.isActive).toBe(false);
  });

  it('deletes link rows at the database level when a user is deleted', async () => {
    const [alice, bob, carol] = await newUsers(3);
    const token = randomUUID();
    await link(alice, bob, token);
    await link(carol, alice, token);
    await link(carol, bob, token);
    await fork().nativeDelete(pair.userClass, { [pair.userId]: idOf(alice) });
    const remaining = await fork().find(
      pair.linkClass,
      { [names.token]: token },
      { populate: [names.linked] as never },
    );
    expect(remaining.map((row: any) => idOf(row[names.linked]))).toEqual([idOf(bob)]);
  });
});
