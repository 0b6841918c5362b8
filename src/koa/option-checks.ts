import { closestMatch } from 'leven';

const isFunction = (value: unknown) => typeof value === 'function';
const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
const fn = { expected: 'a function', accepts: isFunction };

/** Each Koa option, with what it must be (the user entity is checked apart: it must carry @MultiAccount). */
const checks: Record<string, { expected: string; accepts: (value: unknown) => boolean }> = {
  userEntity: { expected: 'the @MultiAccount entity', accepts: () => true },
  em: {
    expected: "an EntityManager or a function of the request's context",
    accepts: v => isObject(v) || isFunction(v),
  },
  basePath: { expected: 'a string such as "/link"', accepts: v => typeof v === 'string' },
  sessionKeys: { expected: 'an object of session key names', accepts: isObject },
  identity: { expected: 'an identity adapter, e.g. koaPassportIdentity(passport)', accepts: isObject },
  afterLinkPath: fn,
  afterSwitchPath: fn,
  signInPath: fn,
  signOutPath: fn,
  accountSelector: { expected: 'an object `{ pathPrefix?: boolean; header?: string }`', accepts: isObject },
  rememberAccounts: { expected: 'true, false or an object', accepts: v => typeof v === 'boolean' || isObject(v) },
  cacheHeaders: { expected: 'true or false', accepts: v => typeof v === 'boolean' },
  accountState: {
    expected: 'an object `{ maxBytesPerAccount?: number; maxBytes?: number }` of positive integers',
    accepts: v =>
      isObject(v) &&
      Object.entries(v as object).every(
        ([name, limit]) =>
          ['maxBytesPerAccount', 'maxBytes'].includes(name) && Number.isSafeInteger(limit) && (limit as number) > 0,
      ),
  },
  devices: {
    expected: 'an object `{ ipAddress?: boolean; maxPerAccount?: number }` (a positive integer)',
    accepts: v =>
      isObject(v) &&
      Object.entries(v as object).every(([name, value]) =>
        name === 'ipAddress'
          ? typeof value === 'boolean'
          : name === 'maxPerAccount' && Number.isSafeInteger(value) && (value as number) > 0,
      ),
  },
  reauthenticateAfter: {
    expected: 'a positive number of milliseconds',
    accepts: v => typeof v === 'number' && Number.isFinite(v) && v > 0,
  },
  reauthenticateIf: fn,
  switcherOnEveryPage: { expected: 'true or false', accepts: v => typeof v === 'boolean' },
  onLink: fn,
  onSwitch: fn,
  onUnlink: fn,
  onSignOut: fn,
};

/** Every option the Koa bindings know (src/koa/option-docs.ts documents each, a test says). */
export const koaOptionNames: readonly string[] = Object.keys(checks);

/**
 * Refuses, at start-up, options the Koa bindings do not know (a typo would otherwise be ignored silently) and
 * values of the wrong kind, naming each.
 */
export function checkKoaOptions(options: object): void {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(options)) {
    const check = checks[name];
    if (!check) problems.push(`unknown option \`${name}\`${suggestion(name)}`);
    else if (value !== undefined && !check.accepts(value)) {
      problems.push(`\`${name}\` must be ${check.expected}, got ${typeof value}`);
    }
  }
  if (problems.length > 0) {
    const known = Object.keys(checks).join(', ');
    throw new TypeError(`mikro-multi-account/koa: ${problems.join('; ')}. Known options: ${known}.`);
  }
}

/** The known option closest in spelling, when one is close enough to be what was meant. */
function suggestion(name: string): string {
  const closest = closestMatch(name, Object.keys(checks), { maxDistance: Math.max(2, Math.floor(name.length / 4)) });
  return closest ? ` (did you mean \`${closest}\`?)` : '';
}
