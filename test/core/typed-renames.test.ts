import { randomUUID } from 'node:crypto';
import { expect, expectTypeOf, it } from 'vitest';
import type { CreateLinkedAccountInput, LinkStatus, WithLinkedAccounts } from '../../src/index.ts';
import { Member, MemberLink } from '../fixtures/renamed-entities.ts';
import { createTestOrm } from '../support/test-orm.ts';

/** The types follow the names the options give (checked by the compiler: `npm test` type-checks the suite). */
it('types the generated properties and repository methods under their configured names', async () => {
  expectTypeOf<MemberLink['browserKey']>().toEqualTypeOf<string>();
  expectTypeOf<MemberLink['state']>().toEqualTypeOf<LinkStatus>();
  expectTypeOf<MemberLink['owner']>().toEqualTypeOf<Member>();
  expectTypeOf<MemberLink['guest']>().toEqualTypeOf<Member>();
  expectTypeOf<MemberLink>().not.toHaveProperty('sessionToken');
  expectTypeOf<MemberLink>().not.toHaveProperty('primaryUser');

  const db = await createTestOrm('sqlite', [Member, MemberLink]);
  try {
    const em = db.orm.em.fork();
    const links = em.getRepository(MemberLink);
    const members = em.getRepository(Member);
    expectTypeOf(links.linkGuest).parameter(0).toEqualTypeOf<CreateLinkedAccountInput<Member>>();
    expectTypeOf(links).not.toHaveProperty('createLinkedAccount');
    expectTypeOf(members.loadWithGuests).returns.resolves.toEqualTypeOf<WithLinkedAccounts<
      Member,
      MemberLink,
      'guests'
    > | null>();
    expectTypeOf(members).not.toHaveProperty('getUserWithLinkedAccounts');

    // And they are the methods that run: no casts.
    const [ann, ben] = [em.create(Member, { handle: 'ann' }), em.create(Member, { handle: 'ben' })];
    await em.flush();
    const browserKey = randomUUID();
    const link = await links.linkGuest({ actor: ann, linkedUser: ben, sessionToken: browserKey });
    expect([link.browserKey, link.state, link.owner.handle, link.guest.handle]).toEqual([
      browserKey,
      'active',
      'ann',
      'ben',
    ]);
    const loaded = await members.loadWithGuests(ann.uuid, browserKey);
    expect(loaded?.guests.map(guest => guest.guest.handle)).toEqual(['ben']);
  } finally {
    await db.close();
  }
});
