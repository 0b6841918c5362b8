import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { BenchBrowser } from './browser.ts';
import { BenchUser } from './entities.ts';
import type { LoadSession } from './load.ts';

export interface Account {
  id: number;
  email: string;
}

/** `count` new users. */
export async function createAccounts(orm: MikroORM, count: number, label: string): Promise<Account[]> {
  const em = orm.em.fork();
  const users = Array.from({ length: count }, (_, index) =>
    em.create(BenchUser, {
      name: `${label} ${index}`,
      email: `${label}-${index}-${randomUUID().slice(0, 8)}@example.com`,
    }),
  );
  await em.flush();
  return users.map(user => ({ id: user.id, email: user.email }));
}

/** A browser signed in (A) or signed in with `links` accounts linked (B), through the app's own routes. */
export interface BenchSession {
  browser: BenchBrowser;
  primary: Account;
  linked: Account[];
  /** For the switch: the token to send at an even turn (to the primary), then at an odd one (back). */
  switchTokens?: Promise<string[]>;
}

export async function signedInSessions(
  orm: MikroORM,
  url: string,
  count: number,
  links: number,
): Promise<BenchSession[]> {
  const sessions: BenchSession[] = [];
  for (let index = 0; index < count; index++) {
    const [primary, ...linked] = await createAccounts(orm, links + 1, `links${links}`);
    const browser = new BenchBrowser(url);
    await browser.linkGroup(primary!, linked);
    sessions.push({ browser, primary: primary!, linked });
  }
  return sessions;
}

/**
 * What the load generator needs of a session: its cookies, the paths it requests in turn and, for the switch
 * between the primary and the first linked account, the CSRF token for each of them (see `switchTokens`).
 */
export async function loadSession(session: BenchSession, paths: string[], switching = false): Promise<LoadSession> {
  const csrfTokens = switching ? await switchTokensOf(session) : undefined;
  return { cookies: { ...session.browser.cookies }, paths, ...(csrfTokens ? { csrfTokens } : {}) };
}

/** The tokens for the switch back and forth, made once per session (making them switches). */
export function switchTokensOf(session: BenchSession): Promise<string[]> {
  session.switchTokens ??= session.browser.switchTokens(session.primary.id, session.linked[0]!.id);
  return session.switchTokens;
}
