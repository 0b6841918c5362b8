import { CookieJar } from 'tough-cookie';

export interface TestResponse {
  status: number;
  location: string | null;
  text: string;
  json<T = unknown>(): T;
}

/**
 * One browser for an app's own tests: a cookie jar and real HTTP (fetch), with the steps of the link and switch
 * flows. Sign-in is the app's own: pass a function that signs this browser in as a user.
 *
 * @example
 * const browser = new MultiAccountTestBrowser(url);
 * await linkAccounts(browser, {
 *   primary: alice.id,
 *   linked: bob.id,
 *   signIn: (b, id) => b.postJson('/login', { id, password }),
 * });
 * await browser.switchTo(alice.id);
 * expect((await browser.accounts()).currentUser.id).toBe(String(alice.id));
 */
export class MultiAccountTestBrowser {
  readonly jar = new CookieJar();
  readonly #baseUrl: string;
  readonly #basePath: string;

  constructor(baseUrl: string, { basePath = '/link' }: { basePath?: string } = {}) {
    this.#baseUrl = baseUrl;
    this.#basePath = basePath;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<TestResponse> {
    return this.request('GET', path, undefined, headers);
  }

  /** POSTs a URL-encoded form. */
  post(
    path: string,
    form?: Record<string, string | number>,
    headers: Record<string, string> = {},
  ): Promise<TestResponse> {
    return this.request('POST', path, form, headers);
  }

  /** POSTs JSON. */
  postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<TestResponse> {
    return this.request('POST', path, body, headers, 'json');
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    encoding: 'form' | 'json' = 'form',
  ): Promise<TestResponse> {
    const url = new URL(path, this.#baseUrl).href;
    const form = encoding === 'form';
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        cookie: await this.jar.getCookieString(url),
        // A browser's own navigations within the site say so; the library asks before acting on any other.
        'sec-fetch-site': 'same-origin',
        ...(body ? { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' } : {}),
        ...headers,
      },
      body:
        body === undefined
          ? undefined
          : form
            ? new URLSearchParams(body as Record<string, string>)
            : JSON.stringify(body),
    });
    for (const cookie of response.headers.getSetCookie()) await this.jar.setCookie(cookie, url);
    const text = await response.text();
    return { status: response.status, location: response.headers.get('location'), text, json: () => JSON.parse(text) };
  }

  /** The JSON account list of this browser session (`GET <basePath>/accounts`). */
  async accounts(): Promise<AccountsJson> {
    const response = await this.get(`${this.#basePath}/accounts`);
    if (response.status !== 200)
      throw new Error(`GET ${this.#basePath}/accounts answered ${response.status}: is this browser signed in?`);
    return response.json<AccountsJson>();
  }

  /** Starts adding an account to the group of `primaryId` (who must be signed in): returns where to sign in. */
  async startLinking(primaryId: string | number): Promise<string | null> {
    return (await this.get(`${this.#basePath}/p/${encodeURIComponent(String(primaryId))}`)).location;
  }

  /** After the second sign-in: confirms the link, as the auto-submitting page would. */
  async confirmLink(primaryId: string | number): Promise<TestResponse> {
    return this.post(
      `${this.#basePath}/p/${encodeURIComponent(String(primaryId))}`,
      {},
      { 'x-csrf-token': (await this.accounts()).csrfToken },
    );
  }

  /** Switches this browser session to another account of its group. */
  async switchTo(userId: string | number): Promise<TestResponse> {
    return this.post(
      `${this.#basePath}/switch_to/${encodeURIComponent(String(userId))}`,
      {},
      { 'x-csrf-token': (await this.accounts()).csrfToken },
    );
  }
}

export interface AccountsJson {
  currentUser: { id: string } & Record<string, unknown>;
  primaryUser: ({ id: string } & Record<string, unknown>) | null;
  accounts: ({ id: string; current: boolean; primary: boolean; switchUrl: string; unlinkUrl: string | null } & Record<
    string,
    unknown
  >)[];
  addAccountUrl: string | null;
  signOutAccountUrl: string;
  signOutAllUrl: string;
  csrfToken: string;
}

/**
 * Signs the browser in as `primary`, adds `linked` to its group and leaves `linked` acting, as a person
 * clicking "add account" would.
 */
export async function linkAccounts<Id extends string | number>(
  browser: MultiAccountTestBrowser,
  {
    primary,
    linked,
    signIn,
  }: { primary: Id; linked: Id; signIn: (browser: MultiAccountTestBrowser, userId: Id) => Promise<unknown> },
): Promise<void> {
  await signIn(browser, primary);
  await browser.startLinking(primary);
  await signIn(browser, linked);
  const response = await browser.confirmLink(primary);
  if (response.status !== 303) throw new Error(`linking answered ${response.status}: ${response.text.slice(0, 200)}`);
}
