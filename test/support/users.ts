import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { PairUnderTest } from './pairs-under-test.ts';

/** `count` new users of the pair, with unique names, flushed; inactive (failing activeCheck) when asked. */
export async function newUsers(
  orm: MikroORM,
  pair: PairUnderTest,
  count: number,
  { active = true } = {},
): Promise<any[]> {
  const em = orm.em.fork();
  const users = Array.from({ length: count }, () =>
    pair.newUser(em, `u${randomUUID().replace(/-/g, '').slice(0, 14)}`),
  );
  if (!active) users.forEach(user => pair.setActive(user, false));
  await em.flush();
  return users;
}
