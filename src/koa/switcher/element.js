// <mma-account-switcher src="/link/accounts">: the default switcher for single-page apps, with no dependencies.
// It reads the JSON endpoint, builds the same markup as the server renderer (markup.js) with DOM calls only —
// text as text nodes, never HTML — and switches by POSTing with the endpoint's CSRF token.
import { labelOf, switcherMarkup } from './markup.js';
import './menu.js'; // Escape closes the menu; other tabs hear of its forms' changes (tab-notice.js): no shadow root

/** @typedef {import('./markup.js').MarkupNode} MarkupNode */
/** @typedef {import('./markup.js').SwitcherLook} SwitcherLook */

/**
 * @typedef {object} AccountsJson The answer of GET `<basePath>/accounts`.
 * @property {{ id: string } & Record<string, unknown>} currentUser
 * @property {({ id: string, current: boolean, primary: boolean, switchUrl: string, unlinkUrl: string | null }
 *   & Record<string, unknown>)[]} accounts
 * @property {string[]} [displayFields]
 * @property {string | null} addAccountUrl
 * @property {string} signOutAccountUrl
 * @property {string} signOutAllUrl
 * @property {string | null} [manageAccountsUrl]
 * @property {boolean} [perTab]
 * @property {({ id: string, signInUrl: string, forgetUrl: string } & Record<string, unknown>)[]}
 *   [rememberedAccounts] With `rememberAccounts` on.
 * @property {string} csrfToken
 */

/**
 * @param {MarkupNode} node
 * @returns {Node}
 */
function build(node) {
  if (typeof node === 'string') return document.createTextNode(node);
  const element = document.createElement(node.tag);
  for (const [name, value] of Object.entries(node.attrs)) element.setAttribute(name, value);
  element.append(...node.children.map(build));
  return element;
}

/**
 * Attributes: `src` (default `/link/accounts`), `avatar-field`, `detail-field`, `theme` (`auto`, `light`, `dark`)
 * and `label`, as the server renderer's options. Events, on the element: `mma-accounts` after each load (detail:
 * the JSON), `mma-switch` after a switch (detail: `{ from, to }`; cancelable — unless cancelled the page reloads),
 * `mma-error` when a request fails or a switch is refused (detail: an Error).
 */
export class AccountSwitcherElement extends HTMLElement {
  static observedAttributes = ['src', 'avatar-field', 'detail-field', 'theme', 'label'];

  /** @type {AccountsJson | null} */
  #accounts = null;
  #loads = 0;

  connectedCallback() {
    this.addEventListener('submit', this.#switchInPlace);
    void this.refresh();
  }

  disconnectedCallback() {
    this.removeEventListener('submit', this.#switchInPlace);
  }

  attributeChangedCallback() {
    if (this.isConnected) void this.refresh();
  }

  /** The accounts as last loaded, or null (not loaded yet, or nobody signed in). */
  get accounts() {
    return this.#accounts;
  }

  /**
   * Loads the accounts again and redraws; resolves to the JSON, or null when nobody is signed in.
   * @returns {Promise<AccountsJson | null>}
   */
  async refresh() {
    const load = ++this.#loads;
    const url = new URL(this.getAttribute('src') ?? '/link/accounts', location.href);
    url.searchParams.set('page', `${location.pathname}${location.search}`); // per-tab switch links lead back here
    try {
      const response = await fetch(url, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
        cache: 'no-store',
      });
      if (response.status !== 401 && !response.ok) throw new Error(`${url.pathname} answered ${response.status}`);
      const accounts = response.status === 401 ? null : /** @type {AccountsJson} */ (await response.json());
      if (load !== this.#loads) return accounts; // a newer load is under way and will draw
      this.#accounts = accounts;
      this.#draw();
      this.dispatchEvent(new CustomEvent('mma-accounts', { bubbles: true, detail: accounts }));
      return accounts;
    } catch (error) {
      this.dispatchEvent(new CustomEvent('mma-error', { bubbles: true, detail: error }));
      return null;
    }
  }

  #draw() {
    const accounts = this.#accounts;
    /** @type {SwitcherLook} */
    const look = {
      avatarField: this.getAttribute('avatar-field') ?? undefined,
      detailField: this.getAttribute('detail-field') ?? undefined,
      theme: /** @type {SwitcherLook['theme']} */ (this.getAttribute('theme') ?? undefined),
      label: this.getAttribute('label') ?? undefined,
    };
    /**
     * @type {<Account extends { id: string } & Record<string, unknown>>(account: Account) =>
     *   Account & { label: string, fields: Account }}
     */
    const labelled = account => ({
      ...account,
      label: labelOf(account, accounts?.displayFields ?? [], account.id),
      fields: account,
    });
    const markup = accounts
      ? switcherMarkup(
          {
            ...accounts,
            perTab: accounts.perTab === true,
            accounts: accounts.accounts.map(labelled),
            rememberedAccounts: accounts.rememberedAccounts?.map(labelled),
          },
          look,
        )
      : null;
    this.replaceChildren(...(markup ? [build(markup)] : []));
  }

  /** A switch row's form, posted by fetch with the CSRF header, so a single-page app need not reload. */
  #switchInPlace = async (/** @type {SubmitEvent} */ event) => {
    const form = event.target;
    const accounts = this.#accounts;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('mma-switch-form') || !accounts) return;
    event.preventDefault();
    const hadFocus = this.contains(document.activeElement);
    const from = accounts.currentUser;
    try {
      // The answer is a redirect to a page this app does not need; whether the switch happened, the accounts tell.
      await fetch(form.action, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'x-csrf-token': accounts.csrfToken },
        redirect: 'manual',
      });
    } catch (error) {
      this.dispatchEvent(new CustomEvent('mma-error', { bubbles: true, detail: error }));
      return;
    }
    const after = await this.refresh();
    if (hadFocus) /** @type {HTMLElement | null} */ (this.querySelector('.mma-trigger'))?.focus();
    if (!after) return;
    if (after.currentUser.id === from.id) {
      this.dispatchEvent(
        new CustomEvent('mma-error', {
          bubbles: true,
          detail: new Error('The switch was refused; the next page shows why.'),
        }),
      );
      return;
    }
    const detail = { from, to: after.currentUser };
    if (this.dispatchEvent(new CustomEvent('mma-switch', { bubbles: true, cancelable: true, detail })))
      location.reload();
  };
}

if (!customElements.get('mma-account-switcher')) customElements.define('mma-account-switcher', AccountSwitcherElement);
