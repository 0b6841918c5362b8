import type { Context } from 'koa';
import { sessionOf, type SessionKeys } from './session-keys.ts';

/**
 * The one seam through which the Koa bindings read, set and clear who is signed in. Every change of acting
 * account (sign-in, link, switch, fallback, unlink, sign-out) goes through it, so the app's own notion of the
 * signed-in user and the library's never differ. The default keeps the user in a session key; the koa-passport
 * adapter keeps it where passport does.
 */
export interface IdentityAdapter {
  /** Who the session says is signed in, as a user id string; undefined when nobody is. */
  read(ctx: Context): string | undefined;
  /** Signs `id` in, in the session. `user` is the loaded entity when the library has it at hand. */
  write(ctx: Context, id: string, user: object | null): void | Promise<void>;
  /** Nobody is signed in any more. */
  clear(ctx: Context): void | Promise<void>;
  /**
   * This request acts as `user` (null: nobody), whatever the session says — a revoked cookie, a per-tab
   * selection: the app's own view of the signed-in user for the rest of the request.
   */
  view?(ctx: Context, user: object | null): void;
}

const subjectPattern = /^user\?id=(.{1,255})$/;

/** The default: the acting user in the session key `keys.user`, as the subject `user?id=<id>`. */
export function sessionKeyIdentity(keys: SessionKeys): IdentityAdapter {
  return {
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
