import supertest from 'supertest';
import type { Server } from 'node:http';
import type { PairUnderTest } from './pairs-under-test.ts';
import { testPassword } from './koa-test-app.ts';

export interface Home {
  current: string | null;
  primary: string | null;
  flash: { kind: string; code: string; message: string } | null;
  accounts: { id: string; label: string; current: boolean; primary: boolean; switchUrl: string }[];
  addAccountUrl: string | null;
  /** With `rememberAccounts` on: the accounts this browser lists as signed out. */
  remembered: { id: string; label: string; signInUrl: string; forgetUrl: string }[];
  csrfToken: string;
}

/** One browser: its own cookie jar, talking real HTTP to the test app. */
export class Browser {
  readonly agent: ReturnType<typeof supertest.agent>;

  constructor(
    server: Server,
    private readonly pair: PairUnderTest,
  ) {
    this.agent = supertest.agent(server);
  }

  async home(): Promise<Home> {
    const response = await this.agent.get('/').expect(200);
    return response.body as Home;
  }

  signIn(user: any, returnTo?: string) {
    const form: Record<string, string> = { login: this.pair.loginOf(user), password: testPassword };
    if (returnTo) form.return_to = returnTo;
    return this.agent.post('/sign-in').type('form').send(form);
  }

  /** A GET as a browser navigating within the site sends it; pass `site` to come from elsewhere. */
  get(path: string, site: 'same-origin' | 'cross-site' | 'none' = 'same-origin') {
    return this.agent.get(path).set('sec-fetch-site', site);
  }

  /**
   * POSTs with this browser's CSRF token, or with `token` when given (`null`: none at all), and checks the
   * response status. A switch sends it in the `x-csrf-token` header, as the switcher element does (on
   * PostgreSQL the loader's statement then runs the switch's compare-and-set); every other POST is a form.
   */
  async post(path: string, status: number, token?: string | null) {
    const csrf = token === undefined ? (await this.home()).csrfToken : token;
    const request = this.agent.post(path);
    if (path.includes('/switch_to/') && csrf !== null) return request.set('x-csrf-token', csrf).expect(status);
    return request
      .type('form')
      .send(csrf === null ? {} : { _csrf: csrf })
      .expect(status);
  }

  /**
   * Signs in as `primary` and adds each of `others` to its group ("Add another account", a sign-in returning to
   * the link route, then the confirming POST), leaving the last one acting.
   */
  async linkGroup(primary: any, others: any[]): Promise<void> {
    const linkPath = `/link/p/${encodeURIComponent(String(primary[this.pair.userId]))}`;
    await this.signIn(primary).expect(303);
    for (const other of others) {
      // "Add another account" (the link route of the acting account): only then does a sign-in join the group.
      await this.get((await this.home()).addAccountUrl!).expect(302);
      await this.signIn(other, linkPath).expect(303);
      await this.post(linkPath, 303);
      const { flash } = await this.home();
      if (flash?.code !== 'LINKED') throw new Error(`linking ${other[this.pair.userId]} failed: ${flash?.code}`);
    }
  }

  /** Every cookie this browser would send, as a Cookie header: what a copy of its cookies replays. */
  cookieHeader(): string {
    const cookies = (
      this.agent as unknown as { jar: { getCookies(access: object): { name: string; value: string }[] } }
    ).jar;
    return cookies
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
      .map(cookie => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }

  /** Puts cookies (a Cookie header's worth) into this browser's jar, as an attacker planting them would. */
  plantCookies(header: string): void {
    const jar = (this.agent as unknown as { jar: { setCookie(cookie: string, domain: string, path: string): void } })
      .jar;
    for (const cookie of header.split('; ')) jar.setCookie(`${cookie}; Path=/`, '127.0.0.1', '/');
  }

  /** The cookie jar's session cookie value. */
  sessionCookie(): string | undefined {
    const cookies = (
      this.agent as unknown as { jar: { getCookies(access: object): { name: string; value: string }[] } }
    ).jar;
    return cookies
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
      .find(cookie => cookie.name === 'sid')?.value;
  }
}
