import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../examples/demo/seed.ts';
import { startDemo, type RunningDemo } from '../../examples/demo/server.ts';
import { hasChromium, launchChromium } from '../support/chromium.ts';
import { openSwitcher, switcherAccounts } from '../support/switcher-menu.ts';

const screenshots = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/**
 * The library's default account switcher as the demo shows it, in Chromium: a menu in the header that works by
 * mouse, by keyboard and without JavaScript, under the demo's strict Content-Security-Policy, with no serious
 * accessibility violation in either theme.
 */
describe.skipIf(!hasChromium)('the default account switcher in a real browser (Chromium)', () => {
  let demo: RunningDemo;
  let browser: Browser;
  const dataDir = mkdtempSync(join(tmpdir(), 'mma-switcher-'));
  const refusedByPolicy: string[] = [];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    demo = await startDemo({ port: 0, dataDir });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function newPerson(
    options: Parameters<Browser['newContext']>[0] = {},
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 900, height: 640 }, ...options });
    const page = await context.newPage();
    page.on('console', message => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refusedByPolicy.push(message.text());
    });
    return { context, page };
  }

  const signedInAs = (page: Page) => page.getByTestId('signed-in-as').innerText();
  const menu = (page: Page) => page.locator('details.mma-menu');
  const trigger = (page: Page) => page.locator('summary.mma-trigger');
  const isOpen = async (page: Page) => (await menu(page).getAttribute('open')) !== null;
  /** The names on the switch rows: the accounts other than the current one. */
  const otherAccounts = async (page: Page) => (await switcherAccounts(page)).slice(1);

  /** The names on the rows of accounts signed out of in this browser (rememberAccounts). */
  const signedOutAccounts = (page: Page) =>
    page
      .locator('.mma-remembered .mma-name')
      .evaluateAll(names => names.map(name => name.firstChild!.textContent!.trim()));

  async function signOutOf(page: Page, name: string) {
    await openMenu(page);
    await page.getByRole('button', { name: `Sign out of ${name}` }).click();
  }

  async function openMenu(page: Page) {
    await openSwitcher(page);
    await expect.poll(() => isOpen(page)).toBe(true);
  }

  async function signIn(page: Page, email: string) {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(demoPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /**
   * Alice signs in and adds Bob through the menu's "Add another account"; Bob is then acting. Without JavaScript
   * the link route's page does not submit itself: the person presses its button.
   */
  async function aliceAndBob(page: Page, { javaScript = true } = {}) {
    await page.goto(`${demo.url}/sign-in`);
    await signIn(page, 'alice@example.com');
    await page.waitForURL(`${demo.url}/`);
    await openMenu(page);
    await page.getByRole('link', { name: 'Add another account' }).click();
    await page.waitForURL(/\/sign-in\?return_to=/);
    await signIn(page, 'bob@example.com');
    if (!javaScript) await page.getByRole('button', { name: 'Link account' }).click();
    await page.waitForURL(`${demo.url}/`);
    await expect.poll(() => signedInAs(page)).toBe('Signed in as Bob');
  }

  /** Alice and Bob as above, then Bob signs out on his own: Alice acts, and the browser remembers Bob. */
  async function bobSignedOutOnHisOwn(page: Page) {
    await aliceAndBob(page);
    await signOutOf(page, 'Bob');
    await expect.poll(() => signedInAs(page)).toBe('Signed in as Alice');
  }

  async function seriousViolations(page: Page): Promise<string[]> {
    const { violations } = await new AxeBuilder({ page }).analyze();
    return violations
      .filter(violation => violation.impact === 'serious' || violation.impact === 'critical')
      .map(violation => `${violation.id}: ${violation.nodes.map(node => node.target.join(' ')).join(', ')}`);
  }

  it('shows the current account on top and switches with one click on a whole row', async () => {
    const { context, page } = await newPerson();
    await aliceAndBob(page);
    expect(await trigger(page).innerText()).toContain('Bob');
    expect(await isOpen(page)).toBe(false);
    expect(await page.locator('.mma-panel').isVisible()).toBe(false);

    await openMenu(page);
    expect(await page.locator('.mma-current .mma-name').innerText()).toMatch(/^Bob\s+Current$/);
    expect(await page.locator('.mma-current .mma-detail').innerText()).toBe('bob@example.com');
    expect(await otherAccounts(page)).toEqual(['Alice']);
    expect(await page.locator('.mma-accounts .mma-badge').innerText()).toBe('Primary');
    const row = page.getByRole('button', { name: /^Switch to Alice/ });
    const box = (await row.boundingBox())!;
    // The whole row is the button, as wide as the list: a click near its right edge switches too.
    expect(box.width).toBeGreaterThan((await page.locator('.mma-accounts').boundingBox())!.width - 2);
    await page.mouse.click(box.x + box.width - 6, box.y + box.height / 2);
    await expect.poll(() => signedInAs(page)).toBe('Signed in as Alice');
    expect(await page.getByRole('status').innerText()).toBe('Switched account.');
    expect(await isOpen(page)).toBe(false);
    await openMenu(page);
    expect(await otherAccounts(page)).toEqual(['Bob']);
    expect(await page.locator('.mma-current .mma-name').innerText()).toMatch(/^Alice\s+Current\s+Primary$/);

    // A click elsewhere on the page closes the menu.
    await page.getByTestId('signed-in-as').click();
    await expect.poll(() => isOpen(page)).toBe(false);
    await context.close();
  });

  it(`is operated by keyboard: Tab to the button, Enter opens, Tab reaches every row, \
Escape closes and returns focus`, async () => {
    const { context, page } = await newPerson();
    await aliceAndBob(page);
    const focused = () => page.locator(':focus').getAttribute('class');
    await page.locator('a.brand').focus();
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('mma-trigger');
    await page.keyboard.press('Enter');
    await expect.poll(() => isOpen(page)).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('mma-row');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('mma-action mma-add');
    await page.keyboard.press('Escape');
    await expect.poll(() => isOpen(page)).toBe(false);
    expect(await focused()).toBe('mma-trigger');

    // Enter on a row switches.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => signedInAs(page)).toBe('Signed in as Alice');
    await context.close();
  });

  it('removes an account under "Manage accounts", and signs out of one account or of all', async () => {
    const { context, page } = await newPerson();
    await aliceAndBob(page);
    await page.goto(`${demo.url}/link/switch_to/1`); // typed address: asks first
    await page.getByRole('button', { name: 'Switch account' }).click();
    await expect.poll(() => signedInAs(page)).toBe('Signed in as Alice');
    await openMenu(page);
    expect(await page.getByRole('button', { name: 'Remove Bob' }).isVisible()).toBe(false); // tucked away
    await page.locator('summary.mma-manage-trigger').click();
    await page.getByRole('button', { name: 'Remove Bob' }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toBe('The account was removed from this browser.');
    await openMenu(page);
    expect(await otherAccounts(page)).toEqual([]);
    expect(await page.locator('.mma-manage .mma-remove, .mma-manage .mma-forget').count()).toBe(0);
    // What is left under "Manage accounts": the browsers this account is signed in on, this one marked.
    await page.locator('summary.mma-manage-trigger').click();
    await page.getByRole('link', { name: 'Devices where Alice is signed in' }).click();
    await expect.poll(() => page.getByRole('heading').innerText()).toBe('Where Alice is signed in');
    const here = page.getByRole('listitem').filter({ hasText: 'This browser' });
    expect(await here.innerText()).toMatch(
      /^Chrome on Linux — signed in \d{4}-.*, last used \d{4}-.* UTC This browser$/,
    );
    await page.goBack();
    await openMenu(page);
    // One account: one sign-out.
    expect(await page.getByRole('button', { name: 'Sign out of all accounts' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Add another account' }).click();
    await signIn(page, 'carol@example.com');
    await expect.poll(() => signedInAs(page)).toBe('Signed in as Carol');
    await openMenu(page);
    await page.getByRole('button', { name: 'Sign out of Carol' }).click();
    await expect.poll(() => signedInAs(page)).toBe('Signed in as Alice');
    expect(await page.getByRole('status').innerText()).toBe(
      'Signed out of that account; the other accounts stay signed in.',
    );

    await openMenu(page);
    await page.getByRole('link', { name: 'Add another account' }).click();
    await signIn(page, 'bob@example.com');
    await expect.poll(() => signedInAs(page)).toBe('Signed in as Bob');
    await openMenu(page);
    await page.getByRole('button', { name: 'Sign out of all accounts' }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toBe('Signed out of all accounts.');
    // Nobody is signed in: the sign-in page lists only Carol, who signed out on her own, to choose again.
    expect(await page.locator('.mma-current, .mma-accounts').count()).toBe(0);
    await openMenu(page);
    expect(await signedOutAccounts(page)).toEqual(['Carol']);
    await context.close();
  });

  it(`lists an account signed out of on its own as signed out; \
one click signs it in again, its email filled in`, async () => {
    const { context, page } = await newPerson();
    await bobSignedOutOnHisOwn(page);
    await openMenu(page);
    expect(await otherAccounts(page)).toEqual([]);
    expect(await signedOutAccounts(page)).toEqual(['Bob']);
    expect(await page.locator('.mma-remembered .mma-badge-signed-out').innerText()).toBe('Signed out');
    expect(await page.locator('.mma-remembered').getAttribute('aria-label')).toBe('Signed-out accounts');

    await page.getByRole('link', { name: /^Sign in to Bob/ }).click();
    await page.waitForURL(/\/sign-in\?/);
    expect(new URL(page.url()).searchParams.get('login_hint')).toBe('bob@example.com');
    expect(await page.getByLabel('Email').inputValue()).toBe('bob@example.com');
    expect(await page.locator(':focus').getAttribute('id')).toBe('password');
    await page.getByLabel('Password').fill(demoPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${demo.url}/`);
    await expect.poll(() => signedInAs(page)).toBe('Signed in as Bob');
    expect(await page.getByRole('status').innerText()).toBe('Account successfully linked!');
    await openMenu(page);
    expect(await switcherAccounts(page)).toEqual(['Bob', 'Alice']);
    expect(await page.locator('.mma-remembered').count()).toBe(0);
    await context.close();
  });

  it('forgets a signed-out account, and offers the others in a chooser once nobody is signed in', async () => {
    const { context, page } = await newPerson();
    await bobSignedOutOnHisOwn(page);
    await openMenu(page);
    expect(await page.getByRole('button', { name: 'Forget Bob' }).isVisible()).toBe(false); // tucked away
    await page.locator('summary.mma-manage-trigger').click();
    await page.getByRole('button', { name: 'Forget Bob' }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toBe('This browser no longer lists that account.');
    await openMenu(page);
    expect(await page.locator('.mma-remembered').count()).toBe(0);
    expect(await page.locator('.mma-manage .mma-remove, .mma-manage .mma-forget').count()).toBe(0);

    // Carol comes and goes, then Alice, the last, signs out: the sign-in page offers both to choose from.
    await page.getByRole('link', { name: 'Add another account' }).click();
    await signIn(page, 'carol@example.com');
    await expect.poll(() => signedInAs(page)).toBe('Signed in as Carol');
    await signOutOf(page, 'Carol');
    await expect.poll(() => signedInAs(page)).toBe('Signed in as Alice');
    await signOutOf(page, 'Alice');
    await page.waitForURL(`${demo.url}/sign-in`);
    expect(await page.getByRole('status').innerText()).toBe('Signed out.');
    expect(await page.locator('.mma-trigger-name').innerText()).toBe('Sign in');
    await openMenu(page);
    expect(await page.locator('.mma-chooser-title').innerText()).toBe('Choose an account');
    expect(await signedOutAccounts(page)).toEqual(['Alice', 'Carol']);
    expect(await page.getByRole('link', { name: 'Use another account' }).getAttribute('href')).toBe('/sign-in');
    expect(await page.locator('.mma-sign-out, .mma-current').count()).toBe(0);

    // Forgetting works signed out too (the CSRF token is the session's), then Carol signs in again in one click.
    await page.locator('summary.mma-manage-trigger').click();
    await page.getByRole('button', { name: 'Forget Alice' }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toBe('This browser no longer lists that account.');
    await page.goto(`${demo.url}/`); // the home page offers the chooser too
    expect(await page.locator('.mma-trigger-name').innerText()).toBe('Sign in');
    await openMenu(page);
    expect(await signedOutAccounts(page)).toEqual(['Carol']);
    await page.getByRole('link', { name: /^Sign in to Carol/ }).click();
    await page.waitForURL(/\/sign-in\?login_hint=/);
    expect(await page.getByLabel('Email').inputValue()).toBe('carol@example.com');
    await page.getByLabel('Password').fill(demoPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => signedInAs(page)).toBe('Signed in as Carol');
    await openMenu(page);
    expect(await switcherAccounts(page)).toEqual(['Carol']);
    expect(await page.locator('.mma-remembered').count()).toBe(0);
    await context.close();
  });

  it('works without JavaScript', async () => {
    const { context, page } = await newPerson({ javaScriptEnabled: false });
    await aliceAndBob(page, { javaScript: false });
    await openMenu(page);
    await page.getByRole('button', { name: /^Switch to Alice/ }).click();
    await expect.poll(() => signedInAs(page)).toBe('Signed in as Alice');
    await context.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no serious accessibility violation in the ${colorScheme} theme, \
menu closed and open, and is pictured`, async () => {
      const { context, page } = await newPerson({ colorScheme });
      await aliceAndBob(page);
      const style = (element: unknown) =>
        (globalThis as unknown as { getComputedStyle(element: unknown): { colorScheme: string } }).getComputedStyle(
          element,
        );
      expect(await page.locator('.mma-panel').evaluate(style)).toMatchObject({ colorScheme });
      expect(await seriousViolations(page)).toEqual([]);
      await openMenu(page);
      await page.locator('summary.mma-manage-trigger').click();
      expect(await seriousViolations(page)).toEqual([]);
      // The README's pictures (docs/switcher-*.png are copies): the menu as a person opens it.
      await page.locator('summary.mma-manage-trigger').click();
      await page.mouse.move(880, 540); // no hover highlight in the picture
      const picture = join(screenshots, `switcher-${colorScheme}.png`);
      await page.screenshot({ path: picture, clip: { x: 0, y: 0, width: 900, height: 560 } });
      await context.close();
    });
  }

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`shows signed-out accounts with no serious accessibility violation in the ${colorScheme} theme, \
signed in and in the chooser`, async () => {
      const { context, page } = await newPerson({ colorScheme });
      await bobSignedOutOnHisOwn(page);
      await openMenu(page);
      await page.locator('summary.mma-manage-trigger').click();
      expect(await page.locator('.mma-remembered .mma-row').isVisible()).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      // axe leaves the avatars' initials out (aria-hidden); a person still reads them.
      expect(await page.locator('.mma-remembered .mma-avatar').evaluate(contrastOfItsText)).toBeGreaterThanOrEqual(4.5);
      // The README's picture of remembered accounts (docs/switcher-remembered.png is a copy of the light one).
      await page.locator('summary.mma-manage-trigger').click();
      await page.mouse.move(880, 540);
      await page.screenshot({
        path: join(screenshots, `switcher-remembered-${colorScheme}.png`),
        clip: { x: 0, y: 0, width: 900, height: 560 },
      });

      await signOutOf(page, 'Alice');
      await page.waitForURL(`${demo.url}/sign-in`);
      await openMenu(page);
      await page.locator('summary.mma-manage-trigger').click();
      expect(await signedOutAccounts(page)).toEqual(['Alice', 'Bob']);
      expect(await seriousViolations(page)).toEqual([]);
      await page.locator('summary.mma-manage-trigger').click();
      await page.mouse.move(880, 540);
      await page.screenshot({
        path: join(screenshots, `switcher-chooser-${colorScheme}.png`),
        clip: { x: 0, y: 0, width: 900, height: 560 },
      });
      await context.close();
    });
  }

  it('shows signed-out accounts in the custom element as the server does', async () => {
    const { context, page } = await newPerson();
    await bobSignedOutOnHisOwn(page);
    const serverRendered = await page.locator('.mma-switcher').evaluate(normalisedMarkup);
    expect(serverRendered).toContain('mma-remembered');
    await page.goto(`${demo.url}/spa`);
    await expect.poll(() => signedInAs(page)).toBe('Signed in as Alice');
    expect(await page.locator('mma-account-switcher .mma-switcher').evaluate(normalisedMarkup)).toBe(serverRendered);
    await openMenu(page);
    expect(await signedOutAccounts(page)).toEqual(['Bob']);
    await context.close();
  });

  it(`is the same menu as a custom element in the single-page view, \
which switches without reloading the page`, async () => {
    const { context, page } = await newPerson();
    await aliceAndBob(page);
    const serverRendered = await page.locator('.mma-switcher').evaluate(normalisedMarkup);
    await page.goto(`${demo.url}/spa`);
    await expect.poll(() => signedInAs(page)).toBe('Signed in as Bob');
    expect(await page.locator('mma-account-switcher .mma-switcher').evaluate(normalisedMarkup)).toBe(serverRendered);

    await page.evaluate(() => ((globalThis as { notReloaded?: boolean }).notReloaded = true));
    const switchRequest = page.waitForRequest(
      request => request.method() === 'POST' && request.url().endsWith('/link/switch_to/1'),
    );
    await openMenu(page);
    await page.getByRole('button', { name: /^Switch to Alice/ }).click();
    expect((await switchRequest).headers()['x-csrf-token']).toMatch(/\S{20,}/);
    await expect.poll(() => signedInAs(page)).toBe('Signed in as Alice');
    expect(await page.getByTestId('spa-note').innerText()).toBe('Switched to Alice without reloading the page.');
    expect(await page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await otherAccounts(page)).toEqual(['Bob']);
    expect(await page.locator(':focus').getAttribute('class')).toBe('mma-trigger');
    // Escape works on the element's menu too (it brings the same small script).
    await openMenu(page);
    await page.keyboard.press('Escape');
    await expect.poll(() => isOpen(page)).toBe(false);
    await context.close();
  });

  it('needed nothing the strict Content-Security-Policy refuses', () => {
    expect(refusedByPolicy).toEqual([]);
  });
});

/** The contrast ratio (WCAG) of an element's text colour on its own opaque background. Runs in the page. */
function contrastOfItsText(element: unknown): number {
  const style = (
    globalThis as unknown as { getComputedStyle(element: unknown): { color: string; backgroundColor: string } }
  ).getComputedStyle(element);
  const luminance = (colour: string) => {
    const [r, g, b] = colour
      .match(/[\d.]+/g)!
      .slice(0, 3)
      .map(value => {
        const channel = Number(value) / 255;
        return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [lighter, darker] = [luminance(style.color), luminance(style.backgroundColor)].sort((a, b) => b - a);
  return (lighter! + 0.05) / (darker! + 0.05);
}

/** An element, as much of it as `normalisedMarkup` uses (the suite is compiled without the DOM's types). */
interface MarkupElement {
  cloneNode(deep: true): MarkupElement;
  querySelectorAll(selector: string): Iterable<MarkupElement>;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  outerHTML: string;
}

/** The switcher's markup with this page's CSRF tokens left out (each page gets its own). Runs in the page. */
function normalisedMarkup(element: MarkupElement): string {
  const copy = element.cloneNode(true);
  for (const input of copy.querySelectorAll('input[name="_csrf"]')) input.setAttribute('value', '');
  for (const details of copy.querySelectorAll('details')) details.removeAttribute('open');
  return copy.outerHTML;
}
