import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../examples/demo/seed.ts';
import { startDemo, type RunningDemo } from '../../examples/demo/server.ts';
import { hasChromium, launchChromium } from '../support/chromium.ts';
import { addAnotherAccount, switchTo, switcherAccounts } from '../support/switcher-menu.ts';
const screenshots = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

describe.skipIf(!hasChromium)('the demo in a real browser (Chromium)', () => {
  let demo: RunningDemo;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mma-demo-'));
    mkdirSync(screenshots, { recursive: true });
    demo = await startDemo({ port: 0, dataDir });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const signedInAs = (page: Page) => page.getByTestId('signed-in-as');

  async function signIn(page: Page, email: string) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(demoPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function newPerson(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
    return { context, page: await context.newPage() };
  }

  // One whole journey in a real browser: about 17 s on this 2-core machine, near 30 s when it is loaded twice over.
  it(`signs in as alice, adds bob, switches to alice and back, each in their own team; another person sees none \
of it; dave cannot be linked`, async () => {
    const { context, page } = await newPerson();
    await page.goto(`${demo.url}/sign-in`);
    await signIn(page, 'alice@example.com');
    await expect.poll(() => signedInAs(page).innerText()).toBe('Signed in as Alice');
    expect(await switcherAccounts(page)).toEqual(['Alice']);
    await page.screenshot({ path: join(screenshots, 'home-before-link.png'), fullPage: true });

    await addAnotherAccount(page);
    await page.waitForURL(/\/sign-in\?return_to=/);
    await expect.poll(() => page.getByRole('status').innerText()).toBe('Sign in to the account you want to add.');
    await signIn(page, 'bob@example.com');
    await page.waitForURL(`${demo.url}/`);
    await expect.poll(() => signedInAs(page).innerText()).toBe('Signed in as Bob');
    expect(await page.getByRole('status').innerText()).toBe('Account successfully linked!');
    expect(await switcherAccounts(page)).toEqual(['Bob', 'Alice']);
    await page.screenshot({ path: join(screenshots, 'home-after-link.png'), fullPage: true });

    // Teams follow the account: Alice opens the team she shares with Bob and writes in it; Bob, switched to, is in
    // his own team, and sees none of it until he opens the shared team himself.
    const activeTeam = () => page.getByTestId('active-team').innerText();
    const notes = () => page.getByTestId('notes').innerText();
    await expect.poll(activeTeam).toBe('Bob (personal)');
    await switchTo(page, 'Alice');
    await expect.poll(() => signedInAs(page).innerText()).toBe('Signed in as Alice');
    await expect.poll(activeTeam).toBe('Alice (personal)');
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Alice & Bob' });
    await page.getByRole('button', { name: 'Open team' }).click();
    await expect.poll(activeTeam).toBe('Alice & Bob');
    await page.getByLabel('Note', { exact: true }).fill("Alice's plan");
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(notes).toContain("Alice's plan");
    await switchTo(page, 'Bob');
    await expect.poll(() => signedInAs(page).innerText()).toBe('Signed in as Bob');
    await expect.poll(activeTeam).toBe('Bob (personal)');
    expect(await notes()).not.toContain("Alice's plan");
    await switchTo(page, 'Alice');
    await expect.poll(activeTeam).toBe('Alice & Bob');
    await switchTo(page, 'Bob');
    await expect.poll(() => signedInAs(page).innerText()).toBe('Signed in as Bob');

    // Another person, in another browser context, signs in as carol.
    const other = await newPerson();
    await other.page.goto(`${demo.url}/sign-in`);
    await signIn(other.page, 'carol@example.com');
    await expect.poll(() => signedInAs(other.page).innerText()).toBe('Signed in as Carol');
    expect(await switcherAccounts(other.page)).toEqual(['Carol']);
    const accounts = await (await other.page.request.get(`${demo.url}/link/accounts`)).json();
    expect(accounts.accounts.map((account: { name: string }) => account.name)).toEqual(['Carol']);
    // Alice's id is 1: carol can neither switch into it nor link into her group. A typed address is not a
    // navigation from the site itself: it asks first.
    await other.page.goto(`${demo.url}/link/switch_to/1`);
    await other.page.getByRole('button', { name: 'Switch account' }).click();
    await other.page.waitForURL(`${demo.url}/`);
    expect(await other.page.getByRole('status').innerText()).toBe(
      'Multi-account session not found. Please link accounts first.',
    );
    await other.page.goto(`${demo.url}/link/p/1`);
    await other.page.waitForURL(`${demo.url}/`);
    expect(await other.page.getByRole('status').innerText()).toBe(
      'This link request was not started in this browser session.',
    );
    await expect.poll(() => signedInAs(other.page).innerText()).toBe('Signed in as Carol');
    await other.context.close();

    // Dave is deactivated: signing him in to add him fails, and the switcher is unchanged.
    await addAnotherAccount(page);
    await page.waitForURL(/\/sign-in\?return_to=/);
    await signIn(page, 'dave@example.com');
    await expect.poll(() => page.getByRole('status').innerText()).toBe('This account is deactivated.');
    await page.goto(`${demo.url}/`);
    await expect.poll(() => signedInAs(page).innerText()).toBe('Signed in as Bob');
    expect(await switcherAccounts(page)).toEqual(['Bob', 'Alice']);
    await context.close();
  }, 90_000);

  it(`keeps each /u/N/ tab in its own account and team: a note written in one lands in that account's team \
only`, async () => {
    const tabsDir = mkdtempSync(join(tmpdir(), 'mma-demo-tabs-'));
    const perTab = await startDemo({ port: 0, dataDir: tabsDir, perTab: true });
    const { context, page } = await newPerson();
    try {
      await page.goto(`${perTab.url}/sign-in`);
      await signIn(page, 'alice@example.com');
      await addAnotherAccount(page);
      await page.waitForURL(/\/sign-in\?return_to=/);
      await signIn(page, 'bob@example.com');
      await expect.poll(() => signedInAs(page).innerText()).toBe('Signed in as Bob');

      // Tab 0 is alice (the primary), tab 1 bob; alice opens the team she shares with bob, in her tab only.
      const alice = page;
      const bob = await context.newPage();
      await alice.goto(`${perTab.url}/u/0/`);
      await bob.goto(`${perTab.url}/u/1/`);
      await expect.poll(() => signedInAs(alice).innerText()).toBe('Signed in as Alice');
      await expect.poll(() => signedInAs(bob).innerText()).toBe('Signed in as Bob');
      await alice.getByLabel('Team', { exact: true }).selectOption({ label: 'Alice & Bob' });
      await alice.getByRole('button', { name: 'Open team' }).click();
      await alice.waitForURL(`${perTab.url}/u/0/`);
      await expect.poll(() => alice.getByTestId('active-team').innerText()).toBe('Alice & Bob');

      // Bob's tab, rendered before, writes in bob's own team; alice's tab, reloaded, is still in the shared one.
      await bob.getByLabel('Note', { exact: true }).fill("Bob's own");
      await bob.getByRole('button', { name: 'Add note' }).click();
      await bob.waitForURL(`${perTab.url}/u/1/`);
      await expect.poll(() => bob.getByTestId('notes').innerText()).toContain("Bob's own");
      expect(await bob.getByTestId('active-team').innerText()).toBe('Bob (personal)');
      await alice.reload();
      expect(await alice.getByTestId('active-team').innerText()).toBe('Alice & Bob');
      expect(await alice.getByTestId('notes').innerText()).not.toContain("Bob's own");
      await alice.getByLabel('Note', { exact: true }).fill('Shared plan');
      await alice.getByRole('button', { name: 'Add note' }).click();
      await expect.poll(() => alice.getByTestId('notes').innerText()).toContain('Shared plan');
      await bob.reload();
      expect(await bob.getByTestId('notes').innerText()).not.toContain('Shared plan');
    } finally {
      await context.close();
      await perTab.close();
      rmSync(tabsDir, { recursive: true, force: true });
    }
  }, 60_000);
});
