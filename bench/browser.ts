import { cookieHeader, keepCookies, type Cookies } from './cookies.ts';

/**
 * A browser that signs in and links accounts through the apps' real routes, as a person would: the sessions
 * the bench measures are made this way, never written by hand.
 */
export class BenchBrowser {
  readonly cookies: Cookies = {};

  constructor(private base: string) {}

  /** Talks to another instance from now on (same site: the cookies go along). */
  at(base: string): this {
    this.base = base;
    return this;
  }

  async request(
    method: 'GET' | 'POST',
    path: string,
    form?: Record<string, string>,
    extraHeaders: Record<string, string> = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {
      cookie: cookieHeader(this.cookies),
      'sec-fetch-site': 'same-origin',
      ...extraHeaders,
    };
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(this.base + path, {
      method,
      headers,
      body: form && new URLSearchParams(form),
      redirect: 'manual',
    });
    keepCookies(this.cookies, response.headers.getSetCookie());
    await response.arrayBuffer();
    return response;
  }

  async signIn(email: string, returnTo = '/'): Promise<void> {
    const response = await this.request('POST', '/sign-in', { email, return_to: returnTo });
    if (response.status !== 302) throw new Error(`signing in ${email} answered ${response.status}`);
  }

  /** A GET answered with JSON. */
  async json<Body>(path: string): Promise<Body> {
    const response = await fetch(this.base + path, { headers: { cookie: cookieHeader(this.cookies) } });
    keepCookies(this.cookies, response.headers.getSetCookie());
    return (await response.json()) as Body;
  }

  /** The CSRF token the JSON endpoint hands this session. */
  async csrfToken(): Promise<string> {
    return (await this.json<{ csrfToken: string }>('/link/accounts')).csrfToken;
  }

  /**
   * The CSRF tokens for switching back and forth between `primaryId` and `linkedId` (`linkedId` acting first): a
   * token names the account acting when it was made, and acts only while that account does. Switches there and
   * back to make them; the browser is left with `linkedId` acting.
   */
  async switchTokens(primaryId: number, linkedId: number): Promise<string[]> {
    const switchTo = async (id: number, token: string) => {
      const response = await this.request('POST', `/link/switch_to/${id}`, undefined, { 'x-csrf-token': token });
      if (response.status !== 303) throw new Error(`switching to ${id} answered ${response.status}`);
    };
    await switchTo(primaryId, await this.csrfToken());
    const asPrimary = await this.csrfToken();
    await switchTo(linkedId, asPrimary);
    return [await this.csrfToken(), asPrimary];
  }

  /** The id of the account this browser acts as, by the JSON endpoint. */
  async actingAs(): Promise<number> {
    return Number((await this.json<{ currentUser: { id: string } }>('/link/accounts')).currentUser.id);
  }

  /**
   * Signs in as the primary, then adds each other account: "Add another account", a sign-in returning to the link
   * route, and the confirming POST.
   */
  async linkGroup(primary: { id: number; email: string }, others: { email: string }[]): Promise<void> {
    const linkPath = `/link/p/${primary.id}`;
    await this.signIn(primary.email);
    for (const other of others) {
      await this.request('GET', linkPath); // "Add another account": only then does a sign-in join the group
      await this.signIn(other.email, linkPath);
      const linked = await this.request('POST', linkPath, { _csrf: await this.csrfToken() });
      if (linked.status !== 303) throw new Error(`linking ${other.email} answered ${linked.status}`);
    }
  }
}
