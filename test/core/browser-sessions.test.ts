import { expect, it } from 'vitest';
import { pruneLinkedAccounts } from '../../src/actions/prune.ts';
import { BrowserSessions } from '../../src/actions/browser-sessions.ts';
import { findUsersById } from '../../src/actions/find-users.ts';
import { multiAccountPair } from '../../src/actions/multi-account-pair.ts';
import { eachDatabaseAndPair } from '../support/matrix.ts';
import { dataStatements } from '../support/test-orm.ts';
import { newUsers } from '../support/users.ts';

eachDatabaseAndPair(({ pair, db }) => {
  const sessions = (ttl = 60_000) => new BrowserSessions(db().orm.em.fork(), ttl);
  const acting = { acting: '1', primary: null };

  it('moves a session on only from its current generation, and ends it only from there', async () => {
    const records = sessions();
    const first = await records.start('1');
    expect(first.generation).toBe(1);
    const second = await records.advance(first, acting);
    expect(second).toEqual({ token: first.token, generation: 2 });
    expect(await records.advance(first, acting)).toBeUndefined();
    expect(await records.isCurrent(first)).toBe(false);
    expect(await records.isCurrent(second!)).toBe(true);
    expect(await records.end(first)).toBe(false);
    expect(await records.end(second!)).toBe(true);
    expect(await records.isCurrent(second!)).toBe(false);
  });

  it('lets the generation before the current one adopt it until a cookie of the current one is presented', async () => {
    const records = sessions();
    const first = await records.start('1');
    const second = (await records.advance(first, { acting: '2', primary: '1' }))!;
    const third = (await records.advance(second, { acting: '3', primary: '1' }))!;
    expect(await records.newer(first)).toBeUndefined(); // two behind: never
    expect(await records.newer(second)).toEqual({ state: third, acting: '3', primary: '1' });
    await records.presented(third);
    expect(await records.newer(second)).toBeUndefined();
    expect(await records.isCurrent(third)).toBe(true);
  });

  it('lets exactly one of many parallel advances from the same generation win', async () => {
    const state = await sessions().start('1');
    const results = await Promise.all(Array.from({ length: 10 }, () => sessions().advance(state, acting)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('counts an expired record as revoked, and prune deletes it in bounded batches', async () => {
    const expired = await Promise.all(Array.from({ length: 3 }, () => sessions(-1).start('1')));
    const live = await sessions().start('1');
    expect(await sessions().isCurrent(expired[0]!)).toBe(false);
    expect(await sessions().advance(expired[0]!, acting)).toBeUndefined();
    const { sessions: pruned } = await pruneLinkedAccounts(db().orm.em.fork(), { batchSize: 2 });
    expect(pruned).toBeGreaterThanOrEqual(3);
    expect(await sessions().isCurrent(live)).toBe(true);
  });

  it('checks the generation inside the query that loads users, in that one statement', async () => {
    const [user] = await newUsers(db().orm, pair, 1);
    const records = sessions();
    const state = await records.start('1');
    const find = async (current: typeof state) => {
      const em = db().orm.em.fork();
      return [
        ...(
          await findUsersById(
            em,
            multiAccountPair(em, pair.userClass),
            [user[pair.userId]],
            records.currentCondition(current),
          )
        ).values(),
      ];
    };
    db().queries.length = 0;
    expect(await find(state)).toHaveLength(1);
    expect(dataStatements(db().queries)).toHaveLength(1);
    expect(await find({ ...state, generation: 2 })).toHaveLength(0);
    await records.advance(state, acting);
    expect(await find(state)).toHaveLength(0);
  });
});
