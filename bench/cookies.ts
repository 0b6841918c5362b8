import { Cookie } from 'tough-cookie';

/** A browser's cookies for one site: name → value. */
export type Cookies = Record<string, string>;

/**
 * Keeps what a response's `Set-Cookie` headers set, as a browser would: a cookie set to expire (a message taken,
 * a session ended) is dropped, not sent on empty — which would have the app clear it again on every request.
 */
export function keepCookies(cookies: Cookies, setCookie: string | string[] | undefined): void {
  for (const header of setCookie === undefined ? [] : [setCookie].flat()) {
    const cookie = Cookie.parse(header);
    if (!cookie) continue;
    if (cookie.TTL() <= 0) delete cookies[cookie.key];
    else cookies[cookie.key] = cookie.value;
  }
}

export const cookieHeader = (cookies: Cookies): string =>
  Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
