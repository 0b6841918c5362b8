import type { MikroORM } from '@mikro-orm/core';
import { Membership, Team, User, type UserStatus } from './entities.ts';
import { hashPassword } from './passwords.ts';

export const demoPassword = 'demo-password';

export const demoUsers: { name: string; email: string; status: UserStatus }[] = [
  { name: 'Alice', email: 'alice@example.com', status: 'active' },
  { name: 'Bob', email: 'bob@example.com', status: 'active' },
  { name: 'Carol', email: 'carol@example.com', status: 'active' },
  { name: 'Dave', email: 'dave@example.com', status: 'inactive' },
];

/** Creates the demo accounts on first start; later starts leave the data alone. */
export async function seedDemoUsers(orm: MikroORM): Promise<void> {
  const em = orm.em.fork();
  if ((await em.count(User)) > 0) return;
  for (const user of demoUsers) em.create(User, { ...user, passwordHash: await hashPassword(demoPassword) });
  await em.flush();
}

/** Alice and Bob share a team (everyone's personal team is made on first use): on first start only. */
export async function seedDemoTeams(orm: MikroORM): Promise<void> {
  const em = orm.em.fork();
  if ((await em.count(Team, { personalOf: null })) > 0) return;
  const team = em.create(Team, { name: 'Alice & Bob', personalOf: null });
  for (const user of await em.find(User, { email: ['alice@example.com', 'bob@example.com'] })) {
    em.create(Membership, { user, team });
  }
  await em.flush();
}
