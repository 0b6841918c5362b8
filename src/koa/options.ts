import type { Context } from 'koa';
import { type AccountStateLimits, defaultAccountStateLimits } from './session/account-state-limits.ts';
import type { EntitySchema } from '@mikro-orm/core';
import { entityClassOf, type EntityDefinition } from '../dsl/entity-class.ts';
import { multiAccountOptionsOf } from '../dsl/registry.ts';
import { localRefererPath } from './http/safe-redirect.ts';
import type { MultiAccountHooks } from './hooks.ts';
import { checkKoaOptions } from './option-checks.ts';
import type { EntityManagerSource } from './session/request-entity-manager.ts';
import { sessionKeyIdentity, type IdentityAdapter } from './session/identity.ts';
import {
  resolveRememberAccounts,
  type RememberAccountsOptions,
  type ResolvedRememberAccounts,
} from './session/remembered-accounts.ts';
import { resolveSessionKeys, type SessionKeys } from './session/session-keys.ts';

/**
 * Options shared by `loadMultiAccount` and `multiAccountRoutes`; declare them once and pass the same object
 * to both, so URLs and session keys agree.
 */
export interface MultiAccountKoaOptions<User extends object = object> extends MultiAccountHooks {
  /** The `@MultiAccount` user entity: its class, or its `defineEntity` / `EntitySchema` definition. */
  userEntity: (abstract new (...args: never[]) => User) | EntitySchema<User, any>;
  /** Defaults to MikroORM's `RequestContext` (fork per request); or a fixed `orm.em`, forked per request. */
  em?: EntityManagerSource;
  /** Where the routes are mounted. Default `/link`. */
  basePath?: string;
  sessionKeys?: Partial<SessionKeys>;
  /**
   * Who is signed in, read and written in one place: the session key `sessionKeys.user` by default, or an
   * adapter such as `koaPassportIdentity()` from `mikro-multi-account/koa-passport`.
   */
  identity?: IdentityAdapter;
  /** Where to go after a link. Default `/`. Non-local results are replaced by `/`. */
  afterLinkPath?: (ctx: Context) => string;
  /** Where to go after a switch. Default: the Referer's path when it is this site, else `/`. */
  afterSwitchPath?: (ctx: Context) => string;
  /**
   * The sign-in page. While an account is being added, `returnTo` is the link route the page must send the
   * browser back to after sign-in (and `primaryUserId` whom it is added to). `loginHint` is set when a remembered
   * account signs in again: what to fill the form with (see `rememberAccounts`). Default
   * `/sign-in?return_to=…&login_hint=…`.
   */
  signInPath?: (ctx: Context, primaryUserId: string | null, returnTo: string | null, loginHint?: string) => string;
  /** The app's sign-out route, offered in the switcher. Default `/sign-out`. */
  signOutPath?: (ctx: Context) => string;
  /**
   * Per-tab account selection (Google's `/u/N`), off by default: the acting account of one request is taken
   * from a `/u/:index/…` path prefix (`pathPrefix: true`) or a header (`header: 'x-account-index'`), where
   * index 0 is the primary and 1… the linked accounts in the switcher's order.
   */
  accountSelector?: { pathPrefix?: boolean; header?: string };
  /**
   * Off by default. On (`true` or options), an account signed out of on its own stays listed in this browser's
   * switcher as signed out, to sign in again in one click (through the link flow when other accounts are still
   * signed in), until it is forgotten. Only the ids are kept, in a cookie signed with the app's keys.
   */
  rememberAccounts?: boolean | RememberAccountsOptions;
  /**
   * On by default: every response of a request in which someone is signed in gets `Vary: Cookie` and, unless
   * the app set its own, `Cache-Control: private, no-store`, so no cache — shared, or the browser's back button —
   * shows one account's page to another. `false` leaves caching to the app.
   */
  cacheHeaders?: boolean;
  /**
   * How much `accountSession(ctx)` may hold, in bytes of JSON: `maxBytesPerAccount` (default 1024) for one account,
   * `maxBytes` (default 2048) for all accounts of a browser. A write past either is an `AccountStateTooLargeError`.
   */
  accountState?: Partial<AccountStateLimits>;
  /**
   * The list of a person's browser sessions (`GET <basePath>/devices`): `ipAddress` records the address each signed
   * in from (off: only browser and system are kept); `maxPerAccount` (default 50) is how many browser sessions one
   * account stays signed in on — a sign-in past it leaves the least recently used.
   */
  devices?: Partial<DeviceOptions>;
  /**
   * How long (ms) a sign-in on this browser lets a person switch into an account without signing in to it again;
   * off by default. Past it, the switcher offers "Sign in again" for that account and the switch route refuses.
   */
  reauthenticateAfter?: number;
  /** Which accounts `reauthenticateAfter` applies to (the app's privileged ones, say); default: every account. */
  reauthenticateIf?: (user: User) => boolean;
  /**
   * The app's pages show the switcher: every page load brings the group in the loader's own statement, so a page
   * with the switcher costs one statement, not two. Off: only the JSON endpoint and `/u/N/` pages do.
   */
  switcherOnEveryPage?: boolean;
}

export interface DeviceOptions {
  ipAddress: boolean;
  maxPerAccount: number;
}

export type ResolvedKoaOptions<User extends object = object> = Required<
  Omit<
    MultiAccountKoaOptions<User>,
    | 'userEntity'
    | 'em'
    | 'sessionKeys'
    | 'identity'
    | 'accountSelector'
    | 'signInPath'
    | 'rememberAccounts'
    | 'accountState'
    | 'devices'
    | 'reauthenticateAfter'
    | 'reauthenticateIf'
    | keyof MultiAccountHooks
  >
> &
  MultiAccountHooks & {
    /** The user entity's class (a schema's, for `defineEntity`). */
    userEntity: Function;
    /** The sign-in page, returning to the link route of `primaryUserId` when one is given. */
    signInPath(ctx: Context, primaryUserId: string | null, loginHint?: string): string;
    em?: EntityManagerSource;
    sessionKeys: SessionKeys;
    identity: IdentityAdapter;
    accountSelector: { pathPrefix: boolean; header?: string };
    rememberAccounts: ResolvedRememberAccounts | null;
    accountState: AccountStateLimits;
    devices: DeviceOptions;
    reauthenticateAfter: number | null;
    /** A method, so options of any user entity fit where any are expected. */
    reauthenticateIf(user: User): boolean;
    urls: {
      link(primaryUserId: string): string;
      switchTo(userId: string): string;
      unlink(userId: string): string;
      signOut(): string;
      signOutAll(): string;
      accounts(): string;
      forget(userId: string): string;
      /** The list of the acting account's browser sessions, and signing one out (`id`) or all but this one. */
      devices(): string;
      signOutDevice(id: string): string;
      signOutOtherDevices(): string;
      /** Signs `userId` in again on this browser, then back to `returnTo`. */
      signInAgain(userId: string, returnTo?: string): string;
      /** The script that submits a confirmation page (a file, for pages under a strict CSP). */
      confirmScript(): string;
    };
  };

/**
 * The page the switch was started from, when it is on this site and not one of our own routes (the switch
 * confirmation page would submit itself again). Koa 3's `ctx.origin` is the Origin header, so this site's
 * origin is built from protocol and host.
 */
function backToReferer(ctx: Context, basePath: string): string {
  const path = localRefererPath(ctx.get('referer'), `${ctx.protocol}://${ctx.host}`);
  return path.startsWith(`${basePath}/`) ? '/' : path;
}

function defaultSignInPath(
  _ctx: Context,
  _primaryUserId: string | null,
  returnTo: string | null,
  loginHint?: string,
): string {
  const query = new URLSearchParams();
  if (returnTo !== null) query.set('return_to', returnTo);
  if (loginHint) query.set('login_hint', loginHint);
  return query.size === 0 ? '/sign-in' : `/sign-in?${query}`;
}

export function resolveKoaOptions<User extends object>(
  options: MultiAccountKoaOptions<User>,
): ResolvedKoaOptions<User> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('mikro-multi-account/koa: the options must be an object such as `{ userEntity: User }`.');
  }
  checkKoaOptions(options);
  if (!options.userEntity || !multiAccountOptionsOf(options.userEntity as EntityDefinition)) {
    throw new TypeError(
      'mikro-multi-account/koa: `userEntity` must be the entity with @MultiAccount ' +
        '(its class, or its defineEntity schema).',
    );
  }
  const basePath = (options.basePath ?? '/link').replace(/\/+$/, '');
  if (basePath !== '' && !/^\/[\w\-/.~]*$/.test(basePath)) {
    throw new TypeError(
      'mikro-multi-account/koa: `basePath` must be a local path like "/link", ' +
        `got ${JSON.stringify(options.basePath)}.`,
    );
  }
  const link = (primaryUserId: string) => `${basePath}/p/${encodeURIComponent(primaryUserId)}`;
  const sessionKeys = resolveSessionKeys(options.sessionKeys);
  const signInPath = options.signInPath ?? defaultSignInPath;
  return {
    userEntity: entityClassOf(options.userEntity as EntityDefinition),
    em: options.em,
    basePath,
    sessionKeys,
    identity: options.identity ?? sessionKeyIdentity(sessionKeys),
    afterLinkPath: options.afterLinkPath ?? (() => '/'),
    afterSwitchPath: options.afterSwitchPath ?? (ctx => backToReferer(ctx, basePath)),
    signInPath: (ctx, primaryUserId, loginHint) =>
      signInPath(ctx, primaryUserId, primaryUserId === null ? null : link(primaryUserId), loginHint),
    signOutPath: options.signOutPath ?? (() => '/sign-out'),
    onLink: options.onLink,
    onSwitch: options.onSwitch,
    onUnlink: options.onUnlink,
    onSignOut: options.onSignOut,
    accountSelector: {
      pathPrefix: options.accountSelector?.pathPrefix ?? false,
      header: options.accountSelector?.header?.toLowerCase(),
    },
    rememberAccounts: resolveRememberAccounts(options.rememberAccounts),
    cacheHeaders: options.cacheHeaders ?? true,
    accountState: { ...defaultAccountStateLimits, ...options.accountState },
    devices: { ipAddress: false, maxPerAccount: 50, ...options.devices },
    reauthenticateAfter: options.reauthenticateAfter ?? null,
    reauthenticateIf: options.reauthenticateIf ?? (() => true),
    switcherOnEveryPage: options.switcherOnEveryPage ?? false,
    urls: {
      link,
      switchTo: userId => `${basePath}/switch_to/${encodeURIComponent(userId)}`,
      unlink: userId => `${basePath}/unlink/${encodeURIComponent(userId)}`,
      signOut: () => `${basePath}/sign_out`,
      signOutAll: () => `${basePath}/sign_out_all`,
      accounts: () => `${basePath}/accounts`,
      forget: userId => `${basePath}/forget/${encodeURIComponent(userId)}`,
      devices: () => `${basePath}/devices`,
      signOutDevice: id => `${basePath}/devices/${encodeURIComponent(id)}/sign_out`,
      signOutOtherDevices: () => `${basePath}/devices/sign_out_others`,
      signInAgain: (userId, returnTo) =>
        `${basePath}/sign_in_again/${encodeURIComponent(userId)}` +
        (returnTo ? `?${new URLSearchParams({ return_to: returnTo })}` : ''),
      confirmScript: () => `${basePath}/switcher/confirm.js`,
    },
  };
}
