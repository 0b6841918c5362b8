// Other tabs follow: when a person changes accounts through the switcher in one tab — a switch, a sign-out, removing
// or adding an account — every other open tab of this site (a page with the switcher's script) says so, with a
// Reload button, as GitHub's "You switched accounts on another tab or window" does. A BroadcastChannel carries the
// news; the tab that acts shows nothing. No inline script or style: the notice is classes, styled by switcher.css.

/** @typedef {'switch' | 'sign-out' | 'sign-out-all' | 'unlink' | 'link'} ChangeKind */

/**
 * @typedef {object} ChangeMessage What a tab posts on the channel.
 * @property {'mma-change'} type
 * @property {ChangeKind} kind
 * @property {string | null} label The label of the account concerned (`data-mma-label`), if the change names one.
 */

/** The BroadcastChannel's name. */
export const channelName = 'mikro-multi-account';

/** @type {Record<ChangeKind, (label: string | null) => string>} */
const texts = {
  switch: label => (label ? `You switched to ${label} in another tab.` : 'You switched accounts in another tab.'),
  'sign-out': label =>
    label ? `You signed out of ${label} in another tab.` : 'You signed out of an account in another tab.',
  'sign-out-all': () => 'You signed out of all accounts in another tab.',
  unlink: label =>
    label
      ? `${label} was removed from this browser in another tab.`
      : 'An account was removed from this browser in another tab.',
  link: () => 'An account was added in another tab.',
};

/**
 * What the notice says for a message from another tab, or null for anything that is not one of ours.
 * @param {unknown} message
 * @returns {string | null}
 */
export function noticeText(message) {
  if (typeof message !== 'object' || message === null) return null;
  const { type, kind, label } = /** @type {Record<string, unknown>} */ (message);
  if (type !== 'mma-change' || typeof kind !== 'string' || !Object.hasOwn(texts, kind)) return null;
  const named = typeof label === 'string' && label !== '' && label.length <= 200 ? label : null;
  return texts[/** @type {ChangeKind} */ (kind)](named);
}

/**
 * @typedef {object} TabState One per page, shared by every copy of this module the page may load.
 * @property {BroadcastChannel} channel
 * @property {WeakSet<EventTarget>} roots Where a submit listener is installed already.
 * @property {boolean} receiving
 */

const stateKey = Symbol.for('mikro-multi-account.tab-notice');

/**
 * The page's channel, opened on first use; null in a browser without BroadcastChannel (then nothing happens).
 * @returns {TabState | null}
 */
function tabState() {
  if (typeof BroadcastChannel !== 'function') return null;
  const holder = /** @type {Record<symbol, TabState | undefined>} */ (/** @type {unknown} */ (globalThis));
  holder[stateKey] ??= { channel: new BroadcastChannel(channelName), roots: new WeakSet(), receiving: false };
  return holder[stateKey];
}

/**
 * Tells the other tabs about the change `form` makes: its `data-mma-change` (`switch`, `sign-out`, `sign-out-all`,
 * `unlink` or `link`) and `data-mma-label`. A form without a known `data-mma-change` announces nothing.
 * @param {HTMLFormElement} form
 */
export function announceChange(form) {
  const kind = form.getAttribute('data-mma-change');
  const state = kind !== null && Object.hasOwn(texts, kind) ? tabState() : null;
  if (!state) return;
  /** @type {ChangeMessage} */
  const message = {
    type: 'mma-change',
    kind: /** @type {ChangeKind} */ (kind),
    label: form.getAttribute('data-mma-label'),
  };
  state.channel.postMessage(message);
}

/** The text the notice is to show; set when the notice is drawn, a moment after its region. */
let latestText = '';

/**
 * Shows `text` in the page's notice (one per page: a later message replaces the text), made on first use. A live
 * region is announced when its content changes, not when it is inserted with content: the empty region goes in
 * first, its text a moment later.
 * @param {string} text
 */
function showNotice(text) {
  latestText = text;
  const existing = document.querySelector('.mma-tab-notice');
  if (existing) {
    const shown = existing.querySelector('.mma-tab-notice-text');
    if (shown) shown.textContent = text; // else about to be drawn, with latestText
    return;
  }
  const notice = document.createElement('div');
  notice.className = 'mma-tab-notice';
  const themed = document.querySelector('.mma-switcher.mma-theme-dark, .mma-switcher.mma-theme-light');
  if (themed) notice.classList.add(themed.classList.contains('mma-theme-dark') ? 'mma-theme-dark' : 'mma-theme-light');
  notice.setAttribute('role', 'status');
  notice.setAttribute('aria-live', 'polite');
  document.body.append(notice);
  setTimeout(() => {
    const message = document.createElement('p');
    message.className = 'mma-tab-notice-text';
    message.textContent = latestText;
    const reload = document.createElement('button');
    reload.type = 'button';
    reload.className = 'mma-tab-notice-reload';
    reload.textContent = 'Reload';
    reload.addEventListener('click', () => location.reload());
    notice.append(message, reload);
  }, 100);
}

/**
 * Announces each submit of a form with `data-mma-change` under `root` (the document: the switcher's forms, the
 * custom element's too, as it has no shadow root; pass a shadow root for forms inside one), and shows the notice
 * when another tab announces. Once per root; does nothing without BroadcastChannel.
 * @param {Document | ShadowRoot | Element} [root]
 */
export function listenForChanges(root = document) {
  const state = tabState();
  if (!state) return;
  if (!state.roots.has(root)) {
    state.roots.add(root);
    // Even when a listener prevents the default (the custom element posts a switch by fetch): the change is made.
    root.addEventListener('submit', event => {
      const form = event.target;
      if (form instanceof HTMLFormElement && form.hasAttribute('data-mma-change')) announceChange(form);
    });
  }
  if (!state.receiving) {
    state.receiving = true;
    state.channel.addEventListener('message', event => {
      const text = noticeText(event.data);
      if (text !== null) showNotice(text);
    });
  }
}
