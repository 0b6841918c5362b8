// The account menu is a <details>, so it opens, closes and is operated by keyboard without JavaScript. This
// enhancement adds what <details> lacks: Escape closes the menu and puts focus back on its button, and a click
// elsewhere on the page closes it. Document-level listeners, so menus added later (the custom element) are covered.
// And the other tabs follow: a change of accounts made here is announced to them, and theirs shown here.
import { listenForChanges } from './tab-notice.js';

listenForChanges(document);

/** @param {EventTarget | null} target */
const openMenuAround = target => (target instanceof Element ? target.closest('details.mma-menu[open]') : null);

/** @param {Element} menu */
function close(menu) {
  const open = /** @type {NodeListOf<HTMLDetailsElement>} */ (menu.querySelectorAll('details[open]'));
  for (const details of open) details.open = false;
  /** @type {HTMLDetailsElement} */ (menu).open = false;
}

document.addEventListener('keydown', event => {
  if (event.key !== 'Escape') return;
  const menu = openMenuAround(event.target) ?? openMenuAround(document.activeElement);
  if (menu) {
    close(menu);
    /** @type {HTMLElement | null} */ (menu.querySelector(':scope > summary'))?.focus();
    event.preventDefault();
  } else {
    for (const open of document.querySelectorAll('details.mma-menu[open]')) close(open);
  }
});

document.addEventListener('click', event => {
  for (const open of document.querySelectorAll('details.mma-menu[open]'))
    if (!(event.target instanceof Node && open.contains(event.target))) close(open);
});
