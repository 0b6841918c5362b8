// @ts-check
// The account switcher's markup, as data: the server prints it (render.ts) and the custom element builds it with
// DOM calls (element.js), so both show the same thing. Plain JavaScript with no imports, so browsers load it as is.

/**
 * @typedef {object} SwitcherAccountData One account of the switcher.
 * @property {string} label What a person recognises the account by (its first display field).
 * @property {Readonly<Record<string, unknown>>} fields Its display fields (the user entity, or an account of the JSON endpoint).
 * @property {boolean} current
 * @property {boolean} primary
 * @property {string} switchUrl
 * @property {string | null} unlinkUrl
 */

/**
 * @typedef {object} SwitcherData What the switcher shows: the view model, or the JSON endpoint's answer.
 * @property {readonly SwitcherAccountData[]} accounts
 * @property {string | null} addAccountUrl
 * @property {string} signOutAccountUrl
 * @property {string} signOutAllUrl
 * @property {boolean} perTab Switch rows are links to `/u/:index/…` pages rather than POST forms.
 * @property {string} csrfToken
 */

/**
 * @typedef {object} SwitcherLook How the switcher looks.
 * @property {string} [avatarField] The display field holding a picture's URL (http(s) or root-relative; others are ignored). Default: none, initials.
 * @property {string} [detailField] The display field printed under the name. Default `email`.
 * @property {'auto' | 'light' | 'dark'} [theme] `auto` (default) follows `prefers-color-scheme`.
 * @property {string} [label] The accessible name of the switcher's navigation. Default `Accounts`.
 */

/**
 * @typedef {object} MarkupElement
 * @property {string} tag
 * @property {Record<string, string>} attrs
 * @property {MarkupNode[]} children
 */
/** @typedef {MarkupElement | string} MarkupNode */
/** @typedef {MarkupNode | null | undefined | false | 0 | ''} MaybeNode */

/**
 * @param {string} tag
 * @param {Record<string, string | null | undefined>} attrs
 * @param {MaybeNode[]} children
 * @returns {MarkupElement}
 */
function h(tag, attrs, ...children) {
  /** @type {Record<string, string>} */
  const kept = {};
  for (const [name, value] of Object.entries(attrs)) if (value !== null && value !== undefined) kept[name] = value;
  return { tag, attrs: kept, children: /** @type {MarkupNode[]} */ (children.filter(child => child !== null && child !== undefined && child !== false && child !== 0 && child !== '')) };
}

/**
 * `value` if it is an http(s) URL or a root-relative path (`/avatars/1.png`), else null: no `javascript:`,
 * `data:` or protocol-relative (`//host`) pictures.
 * @param {unknown} value
 * @returns {string | null}
 */
export function safeImageUrl(value) {
  if (typeof value !== 'string' || value.length > 2048 || /[\s\\\u0000-\u001f\u007f]/.test(value)) return null;
  return /^https?:\/\/[^/?#]/i.test(value) || /^\/(?!\/)/.test(value) ? value : null;
}

/**
 * What a person recognises an account by: its first display field with a value, else `fallback` (its id).
 * @param {Readonly<Record<string, unknown>>} fields
 * @param {readonly string[]} displayFields
 * @param {string} fallback
 * @returns {string}
 */
export function labelOf(fields, displayFields, fallback) {
  const value = displayFields.map(field => fields[field]).find(field => field !== undefined && field !== null && field !== '');
  return value === undefined ? fallback : String(value);
}

/**
 * Up to two letters for an avatar: the first letters of the first and last words of `label`.
 * @param {string} label
 * @returns {string}
 */
export function initialsOf(label) {
  const words = label.split(/[\s@._-]+/).filter(word => word !== '');
  if (words.length === 0) return '?';
  const first = Array.from(words[0] ?? '')[0] ?? '';
  const last = words.length > 1 && !label.includes('@') ? (Array.from(words[words.length - 1] ?? '')[0] ?? '') : '';
  return (first + last).toLocaleUpperCase();
}

/**
 * The switcher: an avatar button opening a menu (`<details>`, so it works without JavaScript) with the current
 * account on top, a row per other account that switches when pressed, "Add another account", the sign-outs, and
 * removal under "Manage accounts". Null when nobody is signed in.
 * @param {SwitcherData} data
 * @param {SwitcherLook} [look]
 * @returns {MarkupElement | null}
 */
export function switcherMarkup(data, { avatarField, detailField = 'email', theme = 'auto', label = 'Accounts' } = {}) {
  const current = data.accounts.find(account => account.current) ?? data.accounts[0];
  if (!current) return null;
  const others = data.accounts.filter(account => account !== current);
  const removable = data.accounts.filter(account => account.unlinkUrl !== null);
  const hidden = (/** @type {string} */ text) => h('span', { class: 'mma-visually-hidden' }, text);
  const csrf = () => h('input', { type: 'hidden', name: '_csrf', value: data.csrfToken });
  const post = (/** @type {string} */ action, /** @type {string} */ formClass, /** @type {string} */ buttonClass, /** @type {MaybeNode[]} */ ...content) =>
    h('form', { class: formClass, method: 'post', action }, csrf(), h('button', { type: 'submit', class: buttonClass }, ...content));

  const avatar = (/** @type {SwitcherAccountData} */ account, /** @type {string} */ size) => {
    const image = avatarField ? safeImageUrl(account.fields[avatarField]) : null;
    return image
      ? h('img', { class: `mma-avatar ${size}`, src: image, alt: '', width: '40', height: '40', loading: 'lazy', referrerpolicy: 'no-referrer' })
      : h('span', { class: `mma-avatar ${size}`, 'aria-hidden': 'true' }, initialsOf(account.label));
  };
  const detailOf = (/** @type {SwitcherAccountData} */ account) => {
    const value = account.fields[detailField];
    return value === null || value === undefined || String(value) === account.label ? '' : String(value);
  };
  const identity = (/** @type {SwitcherAccountData} */ account, /** @type {boolean} */ showCurrent) =>
    h(
      'span',
      { class: 'mma-identity' },
      h(
        'span',
        { class: 'mma-name' },
        account.label,
        showCurrent && account.current && ' ',
        showCurrent && account.current && h('span', { class: 'mma-badge mma-badge-current' }, 'Current'),
        account.primary && ' ',
        account.primary && h('span', { class: 'mma-badge mma-badge-primary' }, 'Primary'),
      ),
      detailOf(account) && h('span', { class: 'mma-detail' }, detailOf(account)),
    );
  const switchRow = (/** @type {SwitcherAccountData} */ account) =>
    h(
      'li',
      { class: 'mma-account' },
      data.perTab
        ? h('a', { class: 'mma-row', href: account.switchUrl }, hidden('Switch to '), avatar(account, 'mma-avatar-medium'), identity(account, false))
        : post(account.switchUrl, 'mma-switch-form', 'mma-row', hidden('Switch to '), avatar(account, 'mma-avatar-medium'), identity(account, false)),
    );
  const removeRow = (/** @type {SwitcherAccountData} */ account) =>
    h(
      'li',
      { class: 'mma-manage-item' },
      avatar(account, 'mma-avatar-small'),
      identity(account, true),
      post(/** @type {string} */ (account.unlinkUrl), 'mma-remove-form', 'mma-remove', 'Remove', hidden(` ${account.label}`)),
    );

  return h(
    'nav',
    { class: theme === 'auto' ? 'mma-switcher' : `mma-switcher mma-theme-${theme}`, 'aria-label': label },
    h(
      'details',
      { class: 'mma-menu' },
      h('summary', { class: 'mma-trigger' }, avatar(current, 'mma-avatar-small'), hidden(`${label}: `), h('span', { class: 'mma-trigger-name' }, current.label)),
      h(
        'div',
        { class: 'mma-panel' },
        h('div', { class: 'mma-current' }, avatar(current, 'mma-avatar-large'), identity(current, true)),
        others.length > 0 && h('ul', { class: 'mma-accounts', 'aria-label': 'Other accounts' }, ...others.map(switchRow)),
        h(
          'div',
          { class: 'mma-actions' },
          data.addAccountUrl !== null && h('a', { class: 'mma-action mma-add', href: data.addAccountUrl }, 'Add another account'),
          post(data.signOutAccountUrl, 'mma-sign-out-form', 'mma-action mma-sign-out', `Sign out of ${current.label}`),
          others.length > 0 && post(data.signOutAllUrl, 'mma-sign-out-all-form', 'mma-action mma-sign-out-all', 'Sign out of all accounts'),
        ),
        removable.length > 0 &&
          h('details', { class: 'mma-manage' }, h('summary', { class: 'mma-manage-trigger' }, 'Manage accounts'), h('ul', { class: 'mma-manage-list' }, ...removable.map(removeRow))),
      ),
    ),
  );
}
