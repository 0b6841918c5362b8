import type { Context } from 'koa';
import type { IdentityAdapter } from '../koa/session/identity.ts';
import { sessionOf } from '../koa/session/session-keys.ts';

/** The part of a koa-passport instance (`import passport from 'koa-passport'`) the adapter uses. */
export interface KoaPassportLike {
  serializeUser(user: unknown, req: unknown, done: (error: unknown, serialized?: unknown) => void): unknown;
  deserializeUser(serialized: unknown, req: unknown, done: (error: unknown, user?: unknown) => void): unknown;
  /** passport's session key (`passport`) and request property (`user`); read when set. */
  _key?: string;
  _userProperty?: string;
}

export interface KoaPassportIdentityOptions {
  /**
   * The user id inside what your `serializeUser` stores. Default: the stored value itself when it is a string or
   * number, or its `id` property when it is an object.
   */
  idOf?: (serialized: unknown) => string | number | bigint | undefined;
}

type LogIn = (user: unknown, options?: unknown) => Promise<void>;
type LogOut = (options?: unknown) => Promise<void>;
/** What `passport.initialize()` adds to the context. */
interface PassportMethods {
  login?: LogIn;
  logIn?: LogIn;
  logout?: LogOut;
  logOut?: LogOut;
}

/**
 * Makes koa-passport and the library one source of truth for who is signed in:
 * `loadMultiAccount({ userEntity: User, identity: koaPassportIdentity(passport) })`. The library reads the user
 * from `session.passport.user`; every change of acting account (switch, fallback, unlink, sign-out) is written
 * back through passport's own `serializeUser` and into `ctx.state.user` in the same request; `ctx.login(user)`
 * starts a browser session (no `putUserId` needed) and `ctx.logout()` ends it. Mount `passport.initialize()`
 * and `passport.session()` before `loadMultiAccount`.
 */
export function koaPassportIdentity(
  passport: KoaPassportLike,
  { idOf = defaultIdOf }: KoaPassportIdentityOptions = {},
): IdentityAdapter {
  const key = passport._key ?? 'passport';
  const userProperty = passport._userProperty ?? 'user';
  const stored = (ctx: Context) => sessionOf(ctx)[key] as { user?: unknown } | undefined;
  const serialize = (ctx: Context, user: unknown) =>
    new Promise((resolve, reject) =>
      passport.serializeUser(user, ctx.req, (error, value) => (error ? reject(error) : resolve(value))),
    );
  return {
    sessionKeys: [key],
    read(ctx) {
      const serialized = stored(ctx)?.user;
      if (serialized === undefined || serialized === null) return undefined;
      const id = idOf(serialized);
      return id === undefined ? undefined : String(id);
    },
    async write(ctx, _id, user) {
      sessionOf(ctx)[key] = { ...stored(ctx), user: await serialize(ctx, user) };
      ctx.state[userProperty] = user;
    },
    async accepts(ctx, user) {
      const serialized = await serialize(ctx, user);
      const deserialized = await new Promise((resolve, reject) =>
        passport.deserializeUser(serialized, ctx.req, (error, value) => (error ? reject(error) : resolve(value))),
      );
      return deserialized !== false && deserialized !== null && deserialized !== undefined;
    },
    clear(ctx) {
      const state = stored(ctx);
      if (state) delete state.user;
      ctx.state[userProperty] = null;
    },
    view(ctx, user) {
      ctx.state[userProperty] = user;
    },
    attach(ctx, events) {
      const passportCtx = ctx as unknown as PassportMethods;
      const { login, logout } = passportCtx;
      if (typeof login !== 'function' || typeof logout !== 'function') {
        throw new Error(
          'mikro-multi-account/koa-passport: mount `passport.initialize()` (and `passport.session()`) ' +
            'before loadMultiAccount.',
        );
      }
      passportCtx.login = passportCtx.logIn = async (user: unknown, options?: unknown) => {
        await login.call(ctx, user, options);
        await events.signedIn();
      };
      passportCtx.logout = passportCtx.logOut = async (options?: unknown) => {
        await logout.call(ctx, options);
        await events.signedOut();
      };
    },
  };
}

function defaultIdOf(serialized: unknown): string | number | bigint | undefined {
  if (typeof serialized === 'string' || typeof serialized === 'number' || typeof serialized === 'bigint')
    return serialized;
  const id = typeof serialized === 'object' && serialized !== null ? (serialized as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' || typeof id === 'bigint' ? id : undefined;
}
