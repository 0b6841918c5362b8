/**
 * The Koa options as docs/options.md shows them (`npm run docs:options` prints the table; a test keeps the page in
 * step): one row per option, or per group of options that go together.
 */
export const koaOptionRows: readonly { option: string; type: string; default: string; doc: string }[] = [
  {
    option: '`userEntity`',
    type: 'entity class or schema',
    default: '**required**',
    doc: 'the `@MultiAccount` entity',
  },
  {
    option: '`em`',
    type: '`EntityManager` or `(ctx) => EntityManager`',
    default: "MikroORM's `RequestContext`",
    doc: 'a fixed `orm.em` (forked per request) or `(ctx) => EntityManager`',
  },
  { option: '`basePath`', type: '`string`', default: "`'/link'`", doc: 'where the routes are mounted' },
  {
    option: '`sessionKeys`',
    type: '`Partial<SessionKeys>`',
    default: 'see [koa.md](koa.md#options-of-multiaccountkoa)',
    doc: 'where the state lives in the session',
  },
  {
    option: '`identity`',
    type: '`IdentityAdapter`',
    default: 'the session key `sessionKeys.user`',
    doc:
      'an `IdentityAdapter` `{ read, write, clear, view? }`: the one place the bindings read, set and clear ' +
      'who is signed in',
  },
  {
    option: '`afterLinkPath(ctx)`',
    type: '`(ctx) => string`',
    default: "`'/'`",
    doc: 'where a link (or a refused one) lands',
  },
  {
    option: '`afterSwitchPath(ctx)`',
    type: '`(ctx) => string`',
    default: "the Referer's path if it is this site, else `'/'`",
    doc: 'where a switch lands',
  },
  {
    option: '`signInPath(ctx, primaryUserId, returnTo, loginHint)`',
    type: '`(ctx, primaryUserId: string \\| null, returnTo: string \\| null, loginHint?: string) => string`',
    default:
      "`'/sign-in?return_to=<returnTo>&login_hint=<loginHint>'` (each only when given; `'/sign-in'` without either)",
    doc:
      'your sign-in page; while an account is being added, `returnTo` is the link route to come back to; ' +
      "`loginHint` is a remembered account's `hintField`, to fill in the form",
  },
  {
    option: '`signOutPath(ctx)`',
    type: '`(ctx) => string`',
    default: "`'/sign-out'`",
    doc: "the app's own sign-out, offered in the switcher model",
  },
  {
    option: '`accountSelector`',
    type: '`{ pathPrefix?: boolean; header?: string }`',
    default: 'off',
    doc:
      "per-tab accounts: `{ pathPrefix: true }` and/or `{ header: 'x-account-index' }` (see " +
      '[koa.md](koa.md#beyond-the-original))',
  },
  {
    option: '`rememberAccounts`',
    type: '`boolean \\| RememberAccountsOptions`',
    default: 'off',
    doc:
      '`true` or `{ cookie, maxAge, max, hintField }`: an account signed out of on its own stays listed in ' +
      'this browser as signed out, to sign in again in one click or forget (see [switcher.md](switcher.md), ' +
      '*Remembered accounts*); needs `app.keys`',
  },
  {
    option: '`cacheHeaders`',
    type: '`boolean`',
    default: '`true`',
    doc:
      'every response of a request in which someone is signed in gets `Vary: Cookie` and, unless the app ' +
      'set its own `Cache-Control`, `Cache-Control: private, no-store` — `no-store` rather than `no-cache`, ' +
      "so that neither a shared cache nor the browser's back button shows a page made for one account after " +
      'a switch to another; `false` leaves caching to the app',
  },
  {
    option: '`accountState`',
    type: '`{ maxBytesPerAccount?: number; maxBytes?: number }`',
    default: '`{ maxBytesPerAccount: 1024, maxBytes: 2048 }`',
    doc:
      'how much `accountSession(ctx)` may hold, in bytes of JSON, for one account and for all accounts of a ' +
      'browser (see [koa.md](koa.md))',
  },
  {
    option: '`devices`',
    type: '`{ ipAddress?: boolean; maxPerAccount?: number }`',
    default: '`{ ipAddress: false, maxPerAccount: 50 }`',
    doc:
      'what a browser session records of its device (browser and system always; its IP address only with ' +
      '`ipAddress: true`), and on how many browser sessions one account stays signed in — a sign-in past it ' +
      'leaves the least recently used (see [devices.md](devices.md))',
  },
  {
    option: '`reauthenticateAfter`, `reauthenticateIf(user)`',
    type: '`number` (ms); `(user: User) => boolean`',
    default: 'off; every account',
    doc:
      'past this many ms since an account last signed in on this browser, switching into it needs its ' +
      'sign-in again (**Sign in again** in the switcher); the predicate limits it to the accounts it names ' +
      '— see [devices.md](devices.md#prove-it-again)',
  },
  {
    option: '`switcherOnEveryPage`',
    type: '`boolean`',
    default: '`false`',
    doc:
      'your pages show the switcher: every page load brings the group in the loader’s one statement, so a page ' +
      'with the switcher costs one statement instead of two (without it, only `GET /link/accounts` and `/u/N/` ' +
      'pages do)',
  },
  {
    option: '`onLink`, `onSwitch`, `onUnlink`, `onSignOut`',
    type: '`(event: MultiAccountEvent) => void \\| Promise<void>`',
    default: '—',
    doc: 'lifecycle hooks for audit logs (see [koa.md](koa.md#beyond-the-original))',
  },
];

/** The options every row names (a row's first-column code spans). */
export function documentedKoaOptions(): string[] {
  return koaOptionRows.flatMap(row => [...row.option.matchAll(/`(\w+)/g)].map(([, name]) => name!));
}

/** The table itself. */
export function renderKoaOptionTable(): string {
  const rows = koaOptionRows.map(row => `| ${row.option} | ${row.type} | ${row.default} | ${row.doc} |`);
  return ['| option | type | default | what it does |', '|---|---|---|---|', ...rows].join('\n');
}
