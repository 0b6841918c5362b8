import type { Middleware } from 'koa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountSwitcher, renderAccountSwitcher } from '../../src/koa/index.ts';
import { hasChromium, launchChromium, linkPage, strictPolicy } from '../support/chromium.ts';
import { startTestApp, type TestApp, testPassword } from '../support/koa-test-app.ts';
import { pairsUnderTest } from '../support/pairs-under-test.ts';
import { createTestOrm, type TestOrm } from '../support/test-orm.ts';
import { newUsers } from '../support/users.ts';

const pair = pairsUnderTest.find(candidate => candidate.label === 'default names')!;

const page = (title: string, head: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="/link/switcher.css">${head}</head><body><header>${body}</header></body></html>`;

/**
 * The app's pages: the server-rendered switcher, the custom element (`?stay`: the app cancels the element's reload
 * after a switch, so that tab stays on its page), and a page with a link to follow as a person would.
 */
const pages: Middleware = async (ctx, next) => {
  if (ctx.path === '/switcher-page') {
    ctx.type = 'html';
    const switcher = renderAccountSwitcher(await accountSwitcher(ctx));
    ctx.body = page('Server', '<script type="module" src="/link/switcher/menu.js"></script>', switcher);
  } else if (ctx.path === '/element-page') {
    ctx.type = 'html';
    const stay = ctx.query.stay === undefined ? '' : '<script type="module" src="/stay.js"></script>';
    ctx.body = page(
      'Element',
      `${stay}<script type="module" src="/link/switcher/element.js"></script>`,
      '<mma-account-switcher src="/link/accounts"></mma-account-switcher>',
    );
  } else if (ctx.path === '/stay.js') {
    ctx.type = 'text/javascript';
    ctx.body = "document.addEventListener('mma-switch', event => event.preventDefault());";
  } else return linkPage(ctx, next);
};

/** Two accounts signed in in one browser, other tabs open: each change in one tab is told in the others. */
describe.skipIf(!hasChromium)('other tabs follow, in Chromium', () => {
  let db: TestOrm;
  let app: TestApp;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    db = await createTestOrm('sqlite', pair.entities);
    app = await startTestApp(db.orm, pair, { beforeRoutes: [strictPolicy], afterLoader: [pages] });
    origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  const idOf = (user: any) => String(user[pair.userId]);

  /** A browser context (one browser, its tabs) where Alice signed in; `addBob` adds Bob by the link flow. */
  async function aliceSignedIn() {
    const context = await browser.newContext();
    const [alice, bob] = await newUsers(db.orm, pair, 2);
    const refused: string[] = [];
    const home = async () => (await context.request.get(`${origin}/`)).json();
    const signIn = (user: any, returnTo?: string) =>
      context.request.post(`${origin}/sign-in`, {
        form: { login: pair.loginOf(user), password: testPassword, ...(returnTo ? { return_to: returnTo } : {}) },
        maxRedirects: 0,
      });
    const linkPath = `/link/p/${idOf(alice)}`;
    await signIn(alice);
    /** "Add another account", then Bob's sign-in returning to the link route, left to confirm. */
    const startAddingBob = async () => {
      await context.request.get(`${origin}${(await home()).addAccountUrl}`, {
        maxRedirects: 0,
        headers: { 'sec-fetch-site': 'same-origin' },
      });
      await signIn(bob, linkPath);
    };
    const addBob = async () => {
      await startAddingBob();
      await context.request.post(`${origin}${linkPath}`, {
        form: { _csrf: (await home()).csrfToken },
        maxRedirects: 0,
      });
      expect((await home()).current).toBe(idOf(bob));
    };
    /** A new tab on `path`, its switcher drawn (unless `drawn` is false). */
    const tab = async (path: string, { drawn = true } = {}) => {
      const opened = await context.newPage();
      opened.on('console', message => {
        if (/Content Security Policy/.test(message.text())) refused.push(message.text());
      });
      await opened.goto(`${origin}${path}`);
      if (drawn) await opened.locator('summary.mma-trigger').waitFor();
      return opened;
    };
    return { context, alice, bob, linkPath, refused, startAddingBob, addBob, tab };
  }

  const notice = (tab: Page) => tab.getByRole('status');
  /** The notice a person sees in `tab`: its text, once it says something, and its Reload button. */
  async function shownNotice(tab: Page) {
    const reload = notice(tab).getByRole('button', { name: 'Reload' });
    await reload.waitFor({ timeout: 10_000 });
    return {
      text: await notice(tab).locator('p').innerText(),
      live: await notice(tab).getAttribute('aria-live'),
      count: await notice(tab).count(),
      reload,
    };
  }
  const currentName = (tab: Page) => tab.locator('summary.mma-trigger .mma-trigger-name').innerText();
  const openMenu = (tab: Page) => tab.locator('summary.mma-trigger').click();

  it('a switch in one tab: the other says so, the acting one does not, and Reload shows the new account', async () => {
    const { context, alice, bob, refused, addBob, tab } = await aliceSignedIn();
    try {
      await addBob();
      const [acting, other] = [await tab('/switcher-page'), await tab('/switcher-page')];
      expect(await currentName(other)).toBe(bob.name);
      await openMenu(acting);
      await acting.getByRole('button', { name: new RegExp(`^Switch to ${alice.name}`) }).click();

      const shown = await shownNotice(other);
      expect(shown).toMatchObject({ text: `You switched to ${alice.name} in another tab.`, live: 'polite', count: 1 });
      await expect.poll(() => currentName(acting)).toBe(alice.name);
      expect(await notice(acting).count()).toBe(0);

      await Promise.all([other.waitForEvent('load'), shown.reload.click()]);
      expect(await notice(other).count()).toBe(0);
      expect(await currentName(other)).toBe(alice.name);
      expect(refused).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('"Sign out of all accounts" after a switch: one notice, saying the latest', async () => {
    const { context, alice, refused, addBob, tab } = await aliceSignedIn();
    try {
      await addBob();
      const [acting, other] = [await tab('/switcher-page'), await tab('/switcher-page')];
      await openMenu(acting);
      await acting.getByRole('button', { name: new RegExp(`^Switch to ${alice.name}`) }).click();
      expect((await shownNotice(other)).text).toBe(`You switched to ${alice.name} in another tab.`);
      await expect.poll(() => currentName(acting)).toBe(alice.name);

      await openMenu(acting);
      await acting.getByRole('button', { name: 'Sign out of all accounts' }).click();
      await expect
        .poll(() => notice(other).locator('p').innerText())
        .toBe('You signed out of all accounts in another tab.');
      expect(await notice(other).count()).toBe(1);
      expect(refused).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the custom element announces its switch and shows what other tabs announce', async () => {
    const { context, alice, refused, addBob, tab } = await aliceSignedIn();
    try {
      await addBob();
      const [acting, other] = [await tab('/element-page?stay'), await tab('/element-page')];
      await openMenu(acting);
      await acting.getByRole('button', { name: new RegExp(`^Switch to ${alice.name}`) }).click();

      expect((await shownNotice(other)).text).toBe(`You switched to ${alice.name} in another tab.`);
      // The acting tab stayed on its page (the app cancelled the reload): its switcher shows Alice, and no notice.
      await expect.poll(() => currentName(acting)).toBe(alice.name);
      expect(await notice(acting).count()).toBe(0);
      expect(refused).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the link confirmation page, submitting itself, says an account was added', async () => {
    const { context, bob, linkPath, refused, startAddingBob, tab } = await aliceSignedIn();
    try {
      const other = await tab('/switcher-page');
      await startAddingBob();
      const acting = await tab(`/page?to=${encodeURIComponent(linkPath)}`, { drawn: false });
      await acting.click('#go');

      const shown = await shownNotice(other);
      expect(shown.text).toBe('An account was added in another tab.');
      await Promise.all([other.waitForEvent('load'), shown.reload.click()]);
      expect(await currentName(other)).toBe(bob.name);
      expect(refused).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
