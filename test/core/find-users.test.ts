import { defineEntity, p, type EntitySchema } from '@mikro-orm/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findUsersById } from '../../src/actions/find-users.ts';
import { multiAccountPair } from '../../src/actions/multi-account-pair.ts';
import { linkedAccountResource, multiAccount } from '../../src/index.ts';
import { eachDatabase, eachDatabaseAndPair } from '../support/matrix.ts';
import { createTestOrm, dataStatements, type TestOrm } from '../support/test-orm.ts';
import { newUsers } from '../support/users.ts';

// A user entity where a plain `select *` would be wrong: a default filter hides archived users, and a display
// field is a formula. The loader's statement must then go through `em.find`.
const Guest = multiAccount(
  defineEntity({
    name: 'Guest',
    properties: {
      id: p.integer().primary(),
      name: p.string(),
      archived: p.boolean().onCreate(() => false),
      shout: p.string().formula('upper(name)'),
    },
    filters: { notArchived: { name: 'notArchived', cond: { archived: false }, default: true } },
  }),
  { linkedAccountResource: (): EntitySchema<any, any> => GuestLink, displayFields: ['name', 'shout'] },
);
const GuestLink = linkedAccountResource(defineEntity({ name: 'GuestLink', properties: {} }), {
  userResource: (): EntitySchema<any, any> => Guest,
});

eachDatabaseAndPair(({ pair, db }) => {
  it('loads users by id in one statement, as em.find loads them', async () => {
    const users = await newUsers(db().orm, pair, 2);
    const ids = users.map(user => user[pair.userId]);
    const em = db().orm.em.fork();
    db().queries.length = 0;
    const { user: userSide } = multiAccountPair(em, pair.userClass);
    const found = await findUsersById(em, multiAccountPair(em, pair.userClass), [...ids, 'not an id']);
    expect(dataStatements(db().queries)).toHaveLength(1);
    const expected = await db()
      .orm.em.fork()
      .find(pair.userClass, { [pair.userId]: { $in: ids } } as never);
    expect([...found.values()].map(user => ({ ...user }))).toEqual(
      expect.arrayContaining(expected.map(user => ({ ...user }))),
    );
    expect(found.size).toBe(2);
    // Managed entities of this request's entity manager, like em.find's.
    expect(em.getUnitOfWork().getById(userSide.meta.class, ids[0])).toBe(found.get(String(ids[0])));
  });
});

eachDatabase(database => {
  let testOrm: TestOrm;
  beforeAll(async () => {
    testOrm = await createTestOrm(database, [Guest, GuestLink]);
  });
  afterAll(() => testOrm.close());

  it("honours the user entity's filters and formulas", async () => {
    const em = testOrm.orm.em.fork();
    const [kept, archived] = [
      em.create(Guest, { name: 'kept' } as never),
      em.create(Guest, { name: 'gone', archived: true } as never),
    ];
    await em.flush();
    const fresh = testOrm.orm.em.fork();
    const found = await findUsersById<{ shout: string }>(fresh, multiAccountPair(fresh, Guest), [kept.id, archived.id]);
    expect([...found.keys()]).toEqual([String(kept.id)]);
    expect(found.get(String(kept.id))!.shout).toBe('KEPT');
  });
});
