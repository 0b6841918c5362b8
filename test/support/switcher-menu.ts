import type { Page } from 'playwright-core';

/** The library's default switcher as a person uses it in a page: its menu is opened first when closed. */
export async function openSwitcher(page: Page): Promise<void> {
  if ((await page.locator('details.mma-menu').getAttribute('open')) === null)
    await page.locator('summary.mma-trigger').click();
}

/** The names the menu lists: the current account first, then each account a row switches to. */
export function switcherAccounts(page: Page): Promise<string[]> {
  return page
    .locator('.mma-current .mma-name, .mma-accounts .mma-name')
    .evaluateAll(names => names.map(name => name.firstChild!.textContent!.trim()));
}

/** Opens the menu and presses the row of the account named `name`. */
export async function switchTo(page: Page, name: string): Promise<void> {
  await openSwitcher(page);
  await page.getByRole('button', { name: `Switch to ${name}` }).click();
}

/** Opens the menu and follows "Add another account". */
export async function addAnotherAccount(page: Page): Promise<void> {
  await openSwitcher(page);
  await page.getByRole('link', { name: 'Add another account' }).click();
}
