const base = 'http://local.invalid';
// A path on this site: one slash, then anything but a second slash or a backslash (`//x` and `/\x` are hosts).
const localPath = /^\/(?![/\\])/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const unsafeCharacters = /[\\\u0000-\u001f\u007f]/;

/**
 * `target` if it is a path on this site, else `fallback`. The value returned is the one checked — after
 * `new URL` has folded dot segments (`/.//evil.example` would become `//evil.example`) — and so is every
 * percent-decoding of it: anything a browser could read as another origin (`//evil.com`, `/\evil.com`,
 * `https://evil.com`, their encoded forms, control characters) is refused.
 */
export function safeLocalPath(target: unknown, fallback = '/'): string {
  if (typeof target !== 'string' || target.length === 0 || target.length > 2048) return fallback;
  if (!localPath.test(target) || unsafeCharacters.test(target)) return fallback;
  let url: URL;
  try {
    url = new URL(target, base);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin === base && staysLocal(path) ? path : fallback;
}

/** Whether `path`, and each of up to three percent-decodings of it, is a plain path on this site. */
function staysLocal(path: string): boolean {
  let decoded = path;
  for (let round = 0; round < 3; round++) {
    if (!localPath.test(decoded) || unsafeCharacters.test(decoded)) return false;
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return false;
    }
    if (next === decoded) return true;
    decoded = next;
  }
  return false;
}

/** The path of a Referer header when it points at this very origin. */
export function localRefererPath(referer: string | undefined, origin: string, fallback = '/'): string {
  if (!referer) return fallback;
  try {
    const url = new URL(referer);
    return url.origin === origin ? safeLocalPath(`${url.pathname}${url.search}`, fallback) : fallback;
  } catch {
    return fallback;
  }
}
