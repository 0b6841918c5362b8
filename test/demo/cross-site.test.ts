import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../examples/demo/seed.ts';
import { startDemo, type RunningDemo } from '../../examples/demo/server.ts';
import { hasChromium, launchChromium } from '../support/chromium.ts';
import { addAnotherAccount, switchTo } from '../support/switcher-menu.ts';

/**
 * README "Security": a page on another origin (another port of 127.0.0.1 is one) that sends the browser to
 * the switch or link routes never changes an account; the person gets a button and must press it.
 */
describe.skipIf(!hasChromium)('navigations from another site, in Chromium', () => {
  let demo: RunningDemo;
  let browser: Browser;
  let evil: Server;
  let evilOrigin: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'mma-cross-site-'));

  beforeAll(async () => {
    demo = await startDemo({ port: 0, dataDir });
    // The other site: each page sends the visitor's browser to a path of the demo, by script, form or link.
    evil = createServer((request, response) => {
      const url = new URL(request.url!, 'http://evil');
      const target = `${demo.url}${url.searchParams.get('to')}`;
      const pages: Record<string, string> = {
        '/script': `<script>location = ${JSON.stringify(target)};</script>`,
        '/form':
          `<form id="f" method="get" action="${target}"></form>` +
          `<script>document.getElementById('f').submit();</script>`,
        '/link': `<a href="${target}">You won a prize</a>`,
      };
      response.setHeader('content-type', 'text/html');
      response.end(`<!doctype html><title>Another site</title>${pages[url.pathname] ?? ''}`);
    });
    await new Promise<void>(resolve => evil.listen(0, '127.0.0.1', resolve));
    evilOrigin = `http://127.0.0.1:${(evil.address() as { port: number }).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise(resolve => evil?.close(resolve));
    await demo?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function signIn(page: Page, email: string) {
    await page.goto(`${demo.url}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(demoPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${demo.url}/`);
  }

  /** Whether a URL is `path` on the demo (a GET form adds an empty query string). */
  const onDemo = (path: string) => (url: URL) => url.origin === demo.url && url.pathname === path;

  /** What the app itself says about this browser, asked from the app's own origin. */
  const accounts = async (page: Page) => (await page.request.get(`${demo.url}/link/accounts`)).json();

  it("never switches on another site's navigation; the person may press the button", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'alice@example.com');
    await addAnotherAccount(page);
    await page.getByLabel('Email').fill('bob@example.com');
    await page.getByLabel('Password').fill(demoPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('signed-in-as').innerText()).toBe('Signed in as Bob');

    for (const how of ['script', 'form', 'link']) {
      await page.goto(`${evilOrigin}/${how}?to=${encodeURIComponent('/link/switch_to/1')}`);
      if (how === 'link') await page.getByRole('link', { name: 'You won a prize' }).click();
      await page.waitForURL(onDemo('/link/switch_to/1'));
      await expect.poll(() => page.getByRole('button', { name: 'Switch account' }).isVisible()).toBe(true);
      await page.waitForTimeout(300); // time for a page that submits itself to have done so
      expect(onDemo('/link/switch_to/1')(new URL(page.url())), how).toBe(true);
      expect((await accounts(page)).currentUser.name, how).toBe('Bob');
    }
    await page.getByRole('button', { name: 'Switch account' }).click();
    await page.waitForURL(`${demo.url}/`);
    expect((await accounts(page)).currentUser.name).toBe('Alice');
    // The site's own switcher still switches in one click.
    await switchTo(page, 'Bob');
    await expect.poll(() => page.getByTestId('signed-in-as').innerText()).toBe('Signed in as Bob');
    await context.close();
  });

  it("never completes a half-finished link on another site's navigation", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'alice@example.com');
    await addAnotherAccount(page); // alice starts adding an account…
    await signIn(page, 'carol@example.com'); // …and carol signs in without finishing it
    const before = await accounts(page);
    expect(before.currentUser.name).toBe('Carol');
    // Not linked yet: Carol sees none of the group she may not switch to.
    expect(before.accounts.map((account: { name: string }) => account.name)).toEqual(['Carol']);

    await page.goto(`${evilOrigin}/script?to=${encodeURIComponent('/link/p/1')}`);
    await page.waitForURL(`${demo.url}/link/p/1`);
    await expect.poll(() => page.getByRole('button', { name: 'Link account' }).isVisible()).toBe(true);
    await page.waitForTimeout(300);
    expect(page.url()).toBe(`${demo.url}/link/p/1`);
    expect((await accounts(page)).accounts.map((account: { name: string }) => account.name)).toEqual(['Carol']);
    await context.close();
  });
});
