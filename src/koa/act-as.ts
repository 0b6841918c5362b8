import type { Context } from 'koa';
import { putUserId, sessionOf, type SessionKeys } from './session.ts';

/** Makes `userId` the acting account, with a new session id: the acting account never changes under an old id. */
export async function actAs(ctx: Context, userId: string, keys: SessionKeys): Promise<void> {
  putUserId(ctx, userId, keys);
  await (sessionOf(ctx).regenerate as () => Promise<void>)();
}
