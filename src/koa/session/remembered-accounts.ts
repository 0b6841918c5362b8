import type { Context } from 'koa';

/** `rememberAccounts`: accounts signed out of one by one stay listed in this browser, as Google does. */
export interface RememberAccountsOptions {
  /** The cookie that lists them. Default `mma.remembered`. */
  cookie?: string;
  /** How long the browser keeps the list after its last change, in ms. Default 30 days. */
  maxAge?: number;
  /** How many accounts it keeps, the most recent first. Default 5. */
  max?: number;
  /**
   * The display field offered to the sign-in page as `loginHint` (to fill in the form). Default `email`; the
   * account's label when the field is empty or not a display field.
   */
  hintField?: string;
}

export type ResolvedRememberAccounts = Required<RememberAccountsOptions>;

const thirtyDays = 30 * 24 * 60 * 60 * 1000;

export function resolveRememberAccounts(
  option: boolean | RememberAccountsOptions | undefined,
): ResolvedRememberAccounts | null {
  if (!option) return null;
  const given = option === true ? {} : option;
  const resolved = {
    cookie: given.cookie ?? 'mma.remembered',
    maxAge: given.maxAge ?? thirtyDays,
    max: given.max ?? 5,
    hintField: given.hintField ?? 'email',
  };
  if (!/^[\w.-]+$/.test(resolved.cookie))
    throw new TypeError(
      'mikro-multi-account/koa: `rememberAccounts.cookie` must be a cookie name, ' +
        `got ${JSON.stringify(resolved.cookie)}.`,
    );
  if (!(resolved.maxAge > 0) || !Number.isInteger(resolved.max) || resolved.max < 1 || resolved.max > 20) {
    throw new TypeError(
      'mikro-multi-account/koa: `rememberAccounts` needs a positive `maxAge` and a `max` from 1 to 20.',
    );
  }
  return resolved;
}

/**
 * The ids of the accounts this browser remembers, most recent first. The cookie holds nothing else — no
 * secret, no name — and is signed with the app's keys, so nobody can make a switcher list other people's
 * accounts; a cookie with a bad signature or shape counts as none.
 */
export function rememberedAccountIds(ctx: Context, options: ResolvedRememberAccounts): string[] {
  requireKeys(ctx);
  const value = ctx.cookies.get(options.cookie, { signed: true });
  if (!value) return [];
  try {
    const ids: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    return Array.isArray(ids)
      ? ids
          .filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 100)
          .slice(0, options.max)
      : [];
  } catch {
    return [];
  }
}

/**
 * Lists `ids` first among the remembered accounts, in that order (accounts signed out of). One write per
 * response: the request's cookie is what every call reads.
 */
export function rememberAccounts(ctx: Context, options: ResolvedRememberAccounts, ids: readonly string[]): void {
  writeRemembered(ctx, options, [...ids, ...rememberedAccountIds(ctx, options).filter(other => !ids.includes(other))]);
}

/** Takes `id` off the list; returns whether it was on it. */
export function forgetAccount(ctx: Context, options: ResolvedRememberAccounts, id: string): boolean {
  const ids = rememberedAccountIds(ctx, options);
  if (!ids.includes(id)) return false;
  writeRemembered(
    ctx,
    options,
    ids.filter(other => other !== id),
  );
  return true;
}

function requireKeys(ctx: Context): void {
  if (!ctx.app.keys)
    throw new Error("mikro-multi-account: `rememberAccounts` signs its cookie with the app's keys: set `app.keys`.");
}

function writeRemembered(ctx: Context, options: ResolvedRememberAccounts, ids: string[]): void {
  const kept = ids.slice(0, options.max);
  const value = kept.length === 0 ? null : Buffer.from(JSON.stringify(kept)).toString('base64url');
  ctx.cookies.set(options.cookie, value, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secure,
    maxAge: options.maxAge,
    overwrite: true,
  });
}
