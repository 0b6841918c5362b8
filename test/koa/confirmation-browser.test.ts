import { createServer, type Server } from 'node:http';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, linkPage, strictPolicy } from '../support/chromium.ts';
import { startTestApp, type TestApp, testPassword } from '../support/koa-test-app.ts';
import { pairsUnderTest } from '../support/pairs-under-test.ts';
import { createTestOrm, type TestOrm } from '../support/test-orm.ts';
import { newUsers } from '../support/users.ts';

const pair = pairsUnderTest.find(candidate => candidate.label === 'default names')!;

/**
 * The link and switch confirmation pages, in Chromium: they submit themselves under `script-src 'self'` with no
 * nonce, and no other origin can frame them.
 */
describe.skipIf(!hasChromium)('confirmation pages in Chromium', () => {
  let db: TestOrm;
  let strict: TestApp;
  let plain: TestApp;
  let browser: Browser;
  let sibling: Server;
  let siblingOrigin: string;

  beforeAll(async () => {
    db = await createTestOrm('sqlite', pair.entities);
    strict = await startTestApp(db.orm, pair, { beforeRoutes: [strictPolicy], afterLoader: [linkPage] });
    plain = await startTestApp(db.orm, pair, { afterLoader: [linkPage] });
    sibling = createServer((request, response) => {
      response.setHeader('content-type', 'text/html');
      const framed = new URL(request.url!, 'http://x').searchParams.get('frame');
      response.end(`<!doctype html><title>Sibling</title><iframe src="${framed}"></iframe>`);
    });
    await new Promise<void>(resolve => sibling.listen(0, '127.0.0.1', resolve));
    siblingOrigin = `http://127.0.0.1:${(sibling.address() as { port: number }).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise(resolve => sibling?.close(resolve));
    await strict?.close();
    await plain?.close();
    await db?.close();
  });

  const originOf = (app: TestApp) => `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const idOf = (user: any) => String(user[pair.userId]);

  /** Alice signed in, then Bob added through the link flow's HTTP requests, in this browser context. */
  async function aliceAndBob(context: BrowserContext, origin: string) {
    const [alice, bob] = await newUsers(db.orm, pair, 2);
    const signIn = (user: any, returnTo?: string) =>
      context.request.post(`${origin}/sign-in`, {
        form: { login: pair.loginOf(user), password: testPassword, ...(returnTo ? { return_to: returnTo } : {}) },
        maxRedirects: 0,
      });
    const linkPath = `/link/p/${idOf(alice)}`;
    await signIn(alice);
    await context.request.get(`${origin}${linkPath}`, {
      maxRedirects: 0,
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    await signIn(bob, linkPath);
    const { csrfToken } = await (await context.request.get(`${origin}/`)).json();
    await context.request.post(`${origin}${linkPath}`, { form: { _csrf: csrfToken }, maxRedirects: 0 });
    const home = await (await context.request.get(`${origin}/`)).json();
    expect(home.current).toBe(idOf(bob));
    return { alice, bob };
  }

  it("submits the switch confirmation under script-src 'self' with no nonce", async () => {
    const context = await browser.newContext();
    try {
      const origin = originOf(strict);
      const { alice } = await aliceAndBob(context, origin);
      const page = await context.newPage();
      const refused: string[] = [];
      page.on('console', message => {
        if (/Content Security Policy/.test(message.text())) refused.push(message.text());
      });
      await page.goto(`${origin}/page?to=${encodeURIComponent(`/link/switch_to/${idOf(alice)}`)}`);
      await page.click('#go');
      await page.waitForURL(url => !url.pathname.startsWith('/link/'), { timeout: 10_000 });
      const home = await (await context.request.get(`${origin}/`)).json();
      expect(home.current).toBe(idOf(alice));
      expect(refused).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('cannot be framed by a sibling origin, in an app that sends no policy of its own', async () => {
    const context = await browser.newContext();
    try {
      const origin = originOf(plain);
      const { alice, bob } = await aliceAndBob(context, origin);
      const page = await context.newPage();
      const target = `${origin}/link/switch_to/${idOf(alice)}`;
      await page.goto(`${siblingOrigin}/?frame=${encodeURIComponent(target)}`);
      const frame = page.frames().find(candidate => candidate !== page.mainFrame())!;
      await expect.poll(() => frame.url()).not.toBe('about:blank');
      expect(frame.url()).not.toBe(target);
      expect(await frame.$('form')).toBeNull();
      const home = await (await context.request.get(`${origin}/`)).json();
      expect(home.current).toBe(idOf(bob));
    } finally {
      await context.close();
    }
  });
});
