import type { Context } from 'koa';

/**
 * Tells the app of an outage once: the first 503 of it goes to `app.on('error')` as one error naming what is
 * down, with the driver's error as its cause; the 503s that follow are `expose`d errors, which Koa's own logger
 * leaves out (as an app's own listener can). The outage is over at the first request that gets through.
 */
export function outageReporter(what: string) {
  let down = false;
  return {
    failed(ctx: Context | undefined, cause: unknown): void {
      if (down) return;
      down = true;
      const report = new Error(`mikro-multi-account: ${what} cannot be reached; answering 503 until it is back.`, {
        cause,
      });
      ctx?.app.emit('error', Object.assign(report, { status: 503 }), ctx);
    },
    worked(): void {
      down = false;
    },
  };
}
