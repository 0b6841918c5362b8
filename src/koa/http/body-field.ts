import parseBody from 'co-body';
import type { Context } from 'koa';
import { httpMessages } from '../../errors/http-messages.ts';

/** A field of a form or JSON body: the app's parser's, or a small body parsed here when it has none in front. */
export async function bodyField(ctx: Context, field: string): Promise<unknown> {
  const request = ctx.request as Context['request'] & { body?: unknown };
  if (request.body === undefined && ctx.is('urlencoded', 'json')) {
    try {
      request.body = await parseBody(ctx, { limit: '16kb', strict: true });
    } catch (error) {
      const status = (error as { status?: number }).status;
      ctx.throw(status === 413 ? 413 : 400, status === 413 ? httpMessages.BODY_TOO_LARGE : httpMessages.BODY_MALFORMED);
    }
  }
  const body = request.body;
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
}
