import type { Context } from 'koa';
import { sessionOf, type SessionKeys } from './session-keys.ts';

/** What an identity adapter tells the library when the app signs someone in or out its own way. */
export interface IdentityEvents {
  /** The app signed a user in (passport's `ctx.login`): the identity already holds them. */
  signedIn(): Promise<void>;
  /** The app signed the user out (passport's `ctx.logout`). */
  signedOut(): Promise<void>;
}

/**
 * The one seam through which the Koa bindings read, set and clear who is signed in. Every change of acting
 * account (sign-in, link, switch, fallback, unlink, sign-out, per-tab selection) goes through it, so the app's
 * own notion of the signed-in user and the library's never differ. The default keeps the user in a session key;
 * `koaPassportIdentity` from `mikro-multi-account/koa-passport` keeps it where passport does.
 */
export interface IdentityAdapter {
  /** The session keys the adapter keeps its state under: kept when a sign-in starts a fresh session. */
  readonly sessionKeys: readonly string[];
  /** Who the session says is signed in, as a user id string; undefined when nobody is. */
  read(ctx: Context): string | undefined;
  /** Signs `user` (whose id is `id`) in, in the session and in the app's view of this request. */
  write(ctx: Context, id: string, user: object): void | Promise<void>;
  /** Nobody is signed in any more. */
  clear(ctx: Context): void | Promise<void>;
  /**
   * This request acts as `user` (null: nobody), whatever the session says — a revoked cookie, a per-tab
   * selection: the app's own view of the signed-in user for the rest of the request.
   */
  view?(ctx: Context, user: object | null): void;
  /**
   * The app's own check of an account about to act where the session's sign-in did not pass the app's hands (a
   * `/u/N/` tab, a fallback): false when the app refuses it, as passport's `deserializeUser` may (a banned
   * account). Without it, every account that passes the `activeCheck` may act.
   */
  accepts?(ctx: Context, user: object): Promise<boolean>;
  /** Called once per request by the loader, to learn of sign-ins and sign-outs the app makes its own way. */
  attach?(ctx: Context, events: IdentityEvents): void;
}

const subjectPattern = /^user\?id=(.{1,255})$/;

/** The default: the acting user in the session key `keys.user`, as the subject `user?id=<id>`. */
export function sessionKeyIdentity(keys: SessionKeys): IdentityAdapter {
  return {
    sessionKeys: [keys.user],
    read(ctx) {
      const subject = sessionOf(ctx)[keys.user];
      return typeof subject === 'string' ? subjectPattern.exec(subject)?.[1] : undefined;
    },
    write(ctx, id) {
      sessionOf(ctx)[keys.user] = `user?id=${id}`;
    },
    clear(ctx) {
      delete sessionOf(ctx)[keys.user];
    },
  };
}
