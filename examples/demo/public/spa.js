// The single-page view's own script: what an app does around <mma-account-switcher>. It shows who is signed in
// from the switcher's data, and on a switch refreshes that instead of letting the page reload.
const switcher = /** @type {import('../../../src/koa/switcher/element.js').AccountSwitcherElement} */ (
  document.querySelector('mma-account-switcher')
);
const heading = /** @type {HTMLElement} */ (document.querySelector('[data-testid="signed-in-as"]'));
const note = /** @type {HTMLElement} */ (document.querySelector('[data-testid="spa-note"]'));

switcher.addEventListener('mma-accounts', event => {
  const accounts = /** @type {CustomEvent} */ (event).detail;
  heading.textContent = accounts ? `Signed in as ${accounts.currentUser.name}` : 'Signed out';
});

switcher.addEventListener('mma-switch', event => {
  event.preventDefault(); // no reload: the heading above follows the switcher's new data
  note.textContent = `Switched to ${/** @type {CustomEvent} */ (event).detail.to.name} without reloading the page.`;
});
