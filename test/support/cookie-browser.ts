import { CookieJar } from 'tough-cookie';

export interface Page {
  status: number;
  location: string | null;
  text: string;
}

/**
 * One browser talking to several origins of the same site (app instances on different ports behind what would
 * be one load balancer): cookies, like a browser's, belong to the host, not the port.
 */
export class CookieBrowser {
  readonly jar = new CookieJar();

  async request(base: string, method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Page> {
    const url = new URL(path, base).href;
    // Navigations within the site, as a browser marks them.
    const headers: Record<string, string> = {
      cookie: await this.jar.getCookieString(url),
      'sec-fetch-site': 'same-origin',
    };
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method,
      headers,
      body: form ? new URLSearchParams(form) : undefined,
      redirect: 'manual',
    });
    for (const cookie of response.headers.getSetCookie()) await this.jar.setCookie(cookie, url);
    return { status: response.status, location: response.headers.get('location'), text: await response.text() };
  }

  async cookie(base: string, name: string): Promise<string | undefined> {
    return (await this.jar.getCookies(base)).find(cookie => cookie.key === name)?.value;
  }
}

export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
