import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../examples/demo/seed.ts';
import { startDemo, type RunningDemo } from '../../examples/demo/server.ts';
import { hasChromium, launchChromium } from '../support/chromium.ts';
import { addAnotherAccount, openSwitcher, switchTo } from '../support/switcher-menu.ts';

/**
 * README "Security" (a request acts as the account it was made for), in Chromium with two tabs of one browser:
 * a tab left on Bob's page, after the other tab switched to Alice, cannot sign Alice out.
 */
describe.skipIf(!hasChromium)('a stale tab, in Chromium', () => {
  let demo: RunningDemo;
  let browser: Browser;
  const dataDir = mkdtempSync(join(tmpdir(), 'mma-stale-tab-'));

  beforeAll(async () => {
    demo = await startDemo({ port: 0, dataDir });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const signedInAs = (page: Page) => page.getByTestId('signed-in-as').innerText();

  async function signIn(page: Page, email: string) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(demoPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it("refuses Bob's sign-out from a tab left on Bob after another tab switched to Alice, naming both", async () => {
    const context = await browser.newContext();
    try {
      const bobsTab = await context.newPage();
      await bobsTab.goto(`${demo.url}/sign-in`);
      await signIn(bobsTab, 'alice@example.com');
      await bobsTab.waitForURL(`${demo.url}/`);
      await addAnotherAccount(bobsTab);
      await signIn(bobsTab, 'bob@example.com');
      await expect.poll(() => signedInAs(bobsTab)).toBe('Signed in as Bob');

      const otherTab = await context.newPage();
      await otherTab.goto(`${demo.url}/`);
      await switchTo(otherTab, 'Alice');
      await expect.poll(() => signedInAs(otherTab)).toBe('Signed in as Alice');

      await openSwitcher(bobsTab);
      await bobsTab.getByRole('button', { name: 'Sign out of Bob' }).click();
      await expect.poll(() => bobsTab.locator('h1').innerText()).toBe('Account changed');
      expect(await bobsTab.locator('body').innerText()).toContain('Alice is signed in now');
      const accounts = await (await bobsTab.request.get(`${demo.url}/link/accounts`)).json();
      expect(accounts.currentUser.name).toBe('Alice');
      expect(accounts.accounts.map((account: { name: string }) => account.name)).toEqual(['Alice', 'Bob']);

      // The page's way back works: Bob acts again, still signed in.
      await bobsTab.getByRole('button', { name: 'Switch back to Bob' }).click();
      await expect.poll(() => signedInAs(bobsTab)).toBe('Signed in as Bob');
    } finally {
      await context.close();
    }
  });
});
