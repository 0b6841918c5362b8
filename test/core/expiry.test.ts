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
    fork().nativeUpdate(pair.linkClass, { [names.primary]: idOf(primary), [names.token]: token }, {
      updatedAt: new Date(Date.now() - days * day),
    } as never);

  it('ignores links unused for longer than linkTtl (30 days by default), and lets them be made again', async () => {
    const [alice, bob, ...others] = await newUsers(2 + pair.max);
    const token = randomUUID();
    await links()[names.create]({ actor: alice, linkedUser: bob, sessionToken: token });
    await age(alice, token, 29);
    expect(await links()[names.list]({ primaryUser: alice, sessionToken: token })).toHaveLength(1);
    await age(alice, token, 31);
    expect(await links()[names.list]({ primaryUser: alice, sessionToken: token })).toEqual([]);
    // Expired links do not count toward the maximum, nor block linking the same account again.
    for (const other of others.slice(0, pair.max - 1))
      await links()[names.create]({ actor: alice, linkedUser: other, sessionToken: token });
    await links()[names.create]({ actor: alice, linkedUser: bob, sessionToken: token });
    expect(await links()[names.list]({ primaryUser: alice, sessionToken: token })).toHaveLength(pair.max);
  });

  it('refreshes the alive links of a group in one statement, and never revives expired ones', async () => {
    const [alice, bob, carol] = await newUsers(3);
    const [used, abandoned] = [randomUUID(), randomUUID()];
    await links()[names.create]({ actor: alice, linkedUser: bob, sessionToken: used });
    await links()[names.create]({ actor: alice, linkedUser: carol, sessionToken: abandoned });
    await age(alice, used, 2);
    await age(alice, abandoned, 31);
    const em = fork();
    const actions = new LinkedAccountActions(em, multiAccountPair(em, pair.linkClass));

    db().queries.length = 0;
    expect(await actions.touchGroup(alice, used)).toBe(1);
    expect(dataStatements(db().queries)).toHaveLength(1);
    const [touched] = await links()[names.list]({ primaryUser: alice, sessionToken: used });
    expect(Date.now() - touched.updatedAt.getTime()).toBeLessThan(60_000);

    expect(await actions.touchGroup(alice, abandoned)).toBe(0);
    expect(await links()[names.list]({ primaryUser: alice, sessionToken: abandoned })).toEqual([]);
  });

  it('prunes expired links in bounded batches and reports how many', async () => {
    const [alice, bob, carol, dave] = await newUsers(4);
    const [old, fresh] = [randomUUID(), randomUUID()];
    for (const other of [bob, carol])
      await links()[names.create]({ actor: alice, linkedUser: other, sessionToken: old });
    await links()[names.create]({ actor: dave, linkedUser: bob, sessionToken: old });
    await links()[names.create]({ actor: alice, linkedUser: dave, sessionToken: fresh });
    await age(alice, old, 40);
    await age(dave, old, 40);
    const result = await pruneLinkedAccounts(fork(), { batchSize: 2 });
    expect(result.expired).toBeGreaterThanOrEqual(3);
    expect(await fork().count(pair.linkClass, { [names.token]: old })).toBe(0);
    expect(await fork().count(pair.linkClass, { [names.token]: fresh })).toBe(1);
    await expect(pruneLinkedAccounts(fork(), { batchSize: 0 })).rejects.toThrow(
      'batchSize must be a positive integer.',
    );
  });
});
