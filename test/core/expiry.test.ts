import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { LinkedAccountActions, multiAccountPair, pruneLinkedAccounts } from '../../src/index.ts';
import { dataStatements } from '../support/test-orm.ts';
import { eachDatabaseAndPair } from '../support/matrix.ts';
import { newUsers as createUsers } from '../support/users.ts';

const day = 24 * 60 * 60 * 1000;

eachDatabaseAndPair(({ pair, db }) => {
  const { names } = pair;
  const fork = () => db().orm.em.fork();
  const links = () => fork().getRepository(pair.linkClass) as any;
  const idOf = (user: any) => user[pair.userId];

  const newUsers = (count: number) => createUsers(db().orm, pair, count);
  /** Makes a group look unused for `days` days. */
  const age = (primary: any, token: string, days: number) =>
    fork().nativeUpdate(pair.linkClass, { [names.primary]: idOf(primary), [names.token]: token }, { updatedAt: new Date(Date.now() - days * day) } as never);

  it('ignores links unused for longer than linkTtl (30 days by default), and lets them be made again', async () => {
    const [alice, bob, ...others] = await newUsers(2 + pair.max);
    const token = randomUUID();
    await links()[names.create]({ actor: alice, linkedUser: bob, sessionToken: token });
    await age(alice, token, 29);
    expect(await links()[names.list]({ primaryUser: alice, sessionToken: token })).toHaveLength(1);
    await age(alice, token, 31);
    expect(await links()[names.list]({ primaryUser: alice, sessionToken: token })).toEqual([]);
    // Expired links do not count toward the maximum, nor block linking the same account again.
    for (const other of others.slice(0, pair.max - 1)) await links()[names.create]({ actor: alice, linkedUser: other, sessionToken: token });
    await links()[names.create]({ actor: alice, linkedUser: bob, sessionToken: token });
    expect(await links()[names.list]({ primaryUser: alice, sessionToken: token })).toHaveLength(pair.max);
  });

  it('keeps a group in use alive, writing at most once an hour', async () => {
    const [alice, bob] = await newUsers(2);
    const token = randomUUID();
    await links()[names.create]({ actor: alice, linkedUser: bob, sessionToken: token });
    // One EntityManager per request, as the Koa loader has.
    const request = () => {
      const em = fork();
      return new LinkedAccountActions(em, multiAccountPair(em, pair.linkClass));
    };
    const fresh = request();
    const listed = await fresh.groupLinks(alice, token);
    db().queries.length = 0;
    expect(await fresh.touchGroup(alice, token, listed)).toBe(false);
    expect(dataStatements(db().queries)).toHaveLength(0);

    await age(alice, token, 2);
    const later = request();
    const stale = await later.groupLinks(alice, token);
    db().queries.length = 0;
    expect(await later.touchGroup(alice, token, stale)).toBe(true);
    expect(dataStatements(db().queries)).toHaveLength(1);
    const [touched] = await links()[names.list]({ primaryUser: alice, sessionToken: token });
    expect(Date.now() - touched.updatedAt.getTime()).toBeLessThan(60_000);
  });

  it('prunes expired links in bounded batches and reports how many', async () => {
    const [alice, bob, carol, dave] = await newUsers(4);
    const [old, fresh] = [randomUUID(), randomUUID()];
    for (const other of [bob, carol]) await links()[names.create]({ actor: alice, linkedUser: other, sessionToken: old });
    await links()[names.create]({ actor: dave, linkedUser: bob, sessionToken: old });
    await links()[names.create]({ actor: alice, linkedUser: dave, sessionToken: fresh });
    await age(alice, old, 40);
    await age(dave, old, 40);
    const result = await pruneLinkedAccounts(fork(), { batchSize: 2 });
    expect(result.expired).toBeGreaterThanOrEqual(3);
    expect(await fork().count(pair.linkClass, { [names.token]: old })).toBe(0);
    expect(await fork().count(pair.linkClass, { [names.token]: fresh })).toBe(1);
    await expect(pruneLinkedAccounts(fork(), { batchSize: 0 })).rejects.toThrow('batchSize must be a positive integer.');
  });
});
