import { Cookie } from 'tough-cookie';

/** A browser's cookies for one site: name → value. */
export type Cookies = Record<string, string>;

/** Keeps what a response's `Set-Cookie` headers set, as a browser would. */
export function keepCookies(cookies: Cookies, setCookie: string | string[] | undefined): void {
  for (const header of setCookie === undefined ? [] : [setCookie].flat()) {
    const cookie = Cookie.parse(header);
    if (cookie) cookies[cookie.key] = cookie.value;
  }
}

export const cookieHeader = (cookies: Cookies): string =>
  Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
