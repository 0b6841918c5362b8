import type { Middleware } from 'koa';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (never a browser downloaded by a test tool). */
export const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(executablePath);
if (!hasChromium) {
  if (process.env.CI === 'true')
    throw new Error(`CI=true, so the browser tests must run, but there is no Chromium at ${executablePath}.`);
  console.warn(`\n⚠ SKIPPING the real-browser tests: no Chromium at ${executablePath} (apt-get install chromium).\n`);
}

/** Headless Chromium with the flags this machine's closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A strict Content-Security-Policy with no nonce: scripts only from the site itself, no inline style. */
export const strictPolicy: Middleware = async (ctx, next) => {
  ctx.set('content-security-policy', "default-src 'self'; script-src 'self'");
  await next();
};

/** `GET /page?to=<path>`: a page with a link to follow as a person would (a same-site navigation). */
export const linkPage: Middleware = async (ctx, next) => {
  if (ctx.path !== '/page') return next();
  ctx.type = 'html';
  ctx.body = `<!doctype html><title>Page</title><a id="go" href="${String(ctx.query.to)}">Go</a>`;
};
