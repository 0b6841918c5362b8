import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerPassword } from '../../examples/passport/identity-provider.ts';
import { startPassportExample, type RunningPassportExample } from '../../examples/passport/server.ts';
import { demoPassword } from '../../examples/demo/seed.ts';
import { hasChromium, launchChromium } from '../support/chromium.ts';
import { addAnotherAccount, openSwitcher, switchTo, switcherAccounts } from '../support/switcher-menu.ts';

/**
 * examples/passport in Chromium: koa-passport with a password and with Example ID, a real OpenID Connect
 * provider on another origin. After every step the test reads what the app itself shows — passport's
 * `ctx.state.user` — not only the switcher.
 */
describe.skipIf(!hasChromium)('the koa-passport example in a real browser (Chromium)', () => {
  let example: RunningPassportExample;
  let browser: Browser;
  const dataDir = mkdtempSync(join(tmpdir(), 'mma-passport-'));

  beforeAll(async () => {
    example = await startPassportExample({ port: 0, providerPort: 0, dataDir });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await example?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const appShows = async (page: Page) => {
    await page.goto(`${example.url}/`);
    const heading = page.getByTestId('signed-in-as');
    return (await heading.count()) > 0 ? heading.innerText() : 'nobody';
  };

  async function signInWithPassword(page: Page, email: string) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(demoPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  async function addThroughExampleId(page: Page, email: string) {
    await addAnotherAccount(page);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Sign in to the account to add' }).isVisible())
      .toBe(true);
    await page.getByRole('button', { name: 'Sign in with Example ID' }).click();
    await page.waitForURL(url => url.origin === example.issuer);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(providerPassword);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    // Back from another site, the link is confirmed by the person, not by the round trip itself.
    await page.waitForURL(url => url.origin === example.url && url.pathname.startsWith('/link/p/'));
    await page.getByRole('button', { name: 'Link account' }).click();
    await page.waitForURL(`${example.url}/`);
  }

  // One whole journey in a real browser and a real OpenID Connect provider: about 19 s here, near 30 s under double
  // load.
  it('signs in with a password, adds an account through Example ID, switches, and signs out every way', async () => {
    const context: BrowserContext = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${example.url}/sign-in`);
    await signInWithPassword(page, 'alice@example.com');
    expect(await appShows(page)).toBe('Signed in as Alice');

    await addThroughExampleId(page, 'bob@example.com');
    expect(await page.getByRole('status').innerText()).toBe('Account successfully linked!');
    expect(await appShows(page)).toBe('Signed in as Bob');
    expect(await switcherAccounts(page)).toEqual(['Bob', 'Alice']);

    await switchTo(page, 'Alice');
    expect(await appShows(page)).toBe('Signed in as Alice');
    await switchTo(page, 'Bob');
    expect(await appShows(page)).toBe('Signed in as Bob');

    // A second tab shares the browser session: a switch there is what the first tab sees next.
    const tab = await context.newPage();
    expect(await appShows(tab)).toBe('Signed in as Bob');
    await switchTo(tab, 'Alice');
    expect(await appShows(tab)).toBe('Signed in as Alice');
    expect(await appShows(page)).toBe('Signed in as Alice');
    await tab.close();

    // Sign out of one account: the other stays signed in, in the app too.
    await switchTo(page, 'Bob');
    await openSwitcher(page);
    await page.getByRole('button', { name: 'Sign out of Bob' }).click();
    expect(await appShows(page)).toBe('Signed in as Alice');
    expect(await switcherAccounts(page)).toEqual(['Alice']);

    // Bob stays listed as signed out (rememberAccounts); his row leads to the sign-in page with his email filled
    // in, and Example ID is asked with it as login_hint.
    await openSwitcher(page);
    await page.getByRole('link', { name: /^Sign in to Bob/ }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Sign in to the account to add' }).isVisible())
      .toBe(true);
    expect(await page.getByLabel('Email').inputValue()).toBe('bob@example.com');
    await page.getByRole('button', { name: 'Sign in with Example ID' }).click();
    await page.waitForURL(url => url.origin === example.issuer);
    expect(await page.getByLabel('Email').inputValue()).toBe('bob@example.com');
    expect(await appShows(page)).toBe('Signed in as Alice'); // changed their mind: back to the app

    // Sign out of all accounts.
    await addThroughExampleId(page, 'carol@example.com');
    expect(await appShows(page)).toBe('Signed in as Carol');
    await openSwitcher(page);
    await page.getByRole('button', { name: 'Sign out of all accounts' }).click();
    expect(await appShows(page)).toBe('nobody');
    expect((await page.request.get(`${example.url}/link/accounts`)).status()).toBe(401);

    // The app's own sign-out, ctx.logout(): the multi-account session ends with it.
    await page.goto(`${example.url}/sign-in`);
    await signInWithPassword(page, 'carol@example.com');
    await addAnotherAccount(page);
    await signInWithPassword(page, 'alice@example.com');
    await page.waitForURL(`${example.url}/`);
    expect(await appShows(page)).toBe('Signed in as Alice');
    expect(await switcherAccounts(page)).toEqual(['Alice', 'Carol']);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(`${example.url}/sign-in`);
    expect(await appShows(page)).toBe('nobody');
    expect((await page.request.get(`${example.url}/link/accounts`)).status()).toBe(401);
    await context.close();
  }, 90_000);

  // About 8 s here.
  it(`makes the next person at the browser type Example ID's password: a remembered account asks for a sign-in \
now, and signing out of all accounts ends Example ID's session too`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const exampleIdAsksForThePassword = async () => {
      await page.getByRole('button', { name: 'Sign in with Example ID' }).click();
      await page.waitForURL(url => url.origin === example.issuer);
      await expect.poll(() => page.getByRole('heading', { name: 'Sign in with Example ID' }).isVisible()).toBe(true);
      expect(await page.getByLabel('Password').inputValue()).toBe('');
    };
    const signInAtExampleId = async (email: string) => {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(providerPassword);
      await page.getByRole('button', { name: 'Continue' }).click();
    };
    await page.goto(`${example.url}/sign-in`);
    await page.getByRole('button', { name: 'Sign in with Example ID' }).click();
    await page.waitForURL(url => url.origin === example.issuer);
    await signInAtExampleId('alice@example.com');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${example.url}/`);
    expect(await appShows(page)).toBe('Signed in as Alice');

    // Signed out of Alice alone: Example ID still has her session, yet her remembered row asks for the password.
    await openSwitcher(page);
    await page.getByRole('button', { name: 'Sign out of Alice' }).click();
    expect(await appShows(page)).toBe('nobody');
    await openSwitcher(page);
    await page.getByRole('link', { name: /^Sign in to Alice/ }).click();
    await exampleIdAsksForThePassword();
    await signInAtExampleId('alice@example.com');
    await page.waitForURL(url => url.origin === example.url);
    expect(await appShows(page)).toBe('Signed in as Alice');

    // Sign out of all accounts, and the app's own sign-out: Example ID asks to end its session too; then even a
    // plain "Sign in with Example ID" (no hint, no fresh sign-in asked for) needs the password.
    const exampleIdSignsOutToo = async () => {
      await page.waitForURL(url => url.origin === example.issuer);
      await page.getByRole('button', { name: 'Yes, sign me out' }).click();
      await page.waitForURL(url => url.origin === example.url && url.pathname === '/sign-in');
      expect(await appShows(page)).toBe('nobody');
      await page.goto(`${example.url}/sign-in`);
      await exampleIdAsksForThePassword();
    };
    await addThroughExampleId(page, 'bob@example.com');
    await openSwitcher(page);
    await page.getByRole('button', { name: 'Sign out of all accounts' }).click();
    await exampleIdSignsOutToo();
    await signInAtExampleId('alice@example.com');
    // Its session ended, Example ID asks again for what the app may see.
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(url => url.origin === example.url);
    expect(await appShows(page)).toBe('Signed in as Alice');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await exampleIdSignsOutToo();
    await context.close();
  }, 60_000);
});
