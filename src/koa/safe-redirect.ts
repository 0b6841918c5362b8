const base = 'http://local.invalid';

/**
 * `target` if it is a path on this site, else `fallback`. Anything that a browser could read as another
 * origin (`//evil.com`, `/\evil.com`, `https://evil.com`, their percent-encoded forms, control characters)
 * is refused.
 */
export function safeLocalPath(target: unknown, fallback = '/'): string {
  if (typeof target !== 'string' || target.length === 0 || target.length > 2048) return fallback;
  if (!target.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(target)) return fallback;
  let decoded = target;
  for (let round = 0; round < 3; round++) {
    try {
      const next = decodeURIComponent(decoded);
      if (next === decoded) break;
      decoded = next;
    } catch {
      return fallback;
    }
  }
  if (/^\/[\/\\]/.test(decoded) || /[\\\u0000-\u001f\u007f]/.test(decoded)) return fallback;
  const url = new URL(target, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : fallback;
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
