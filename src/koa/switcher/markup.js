// @ts-check
// The account switcher's markup, as data: the server prints it (render.ts) and the custom element builds it with
// DOM calls (element.js), so both show the same thing. Plain JavaScript with no imports, so browsers load it as is.

/**
 * @typedef {object} SwitcherAccountData One account of the switcher.
 * @property {string} label What a person recognises the account by (its first display field).
 * @property {Readonly<Record<string, unknown>>} fields Its display fields (the user entity, or an account of the JSON
 *   endpoint).
 * @property {boolean} current
 * @property {boolean} primary
 * @property {string} switchUrl
 * @property {string | null} unlinkUrl
 * @property {string | null} [signInAgainUrl] Past `reauthenticateAfter`: it must sign in again before acting here.
 */

/**
 * @typedef {object} RememberedAccountData An account this browser lists as signed out (`rememberAccounts`).
 * @property {string} label
 * @property {Readonly<Record<string, unknown>>} fields
 * @property {string} signInUrl Signs it in again: the sign-in page, with the account as its hint.
 * @property {string} forgetUrl POST here (with the CSRF token) so this browser no longer lists it.
 */
/** @typedef {SwitcherAccountData | RememberedAccountData} ShownAccount */

/**
 * @typedef {object} SwitcherData What the switcher shows: the view model, or the JSON endpoint's answer.
 * @property {readonly SwitcherAccountData[]} accounts
 * @property {string | null} addAccountUrl
 * @property {string} signOutAccountUrl
 * @property {string} signOutAllUrl
 * @property {string | null} [manageAccountsUrl] Every browser the acting account is signed in on ("Your devices").
 * @property {boolean} perTab Switch rows are links to `/u/:index/…` pages rather than POST forms.
 * @property {readonly RememberedAccountData[]} [rememberedAccounts] Accounts signed out of in this browser.
 * @property {string} [signInUrl] The app's sign-in page: "Use another account" when nobody is signed in.
 * @property {string} csrfToken
 */

/**
 * @typedef {object} SwitcherLook How the switcher looks.
 * @property {string} [avatarField] The display field holding a picture's URL (http(s) or root-relative; others are
 *   ignored). Default: none, initials.
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
  return {
    tag,
    attrs: kept,
    children: /** @type {MarkupNode[]} */ (
      children.filter(child => child !== null && child !== undefined && child !== false && child !== 0 && child !== '')
    ),
  };
}

/**
 * `value` if it is an http(s) URL or a root-relative path (`/avatars/1.png`), else null: no `javascript:`,
 * `data:` or protocol-relative (`//host`) pictures.
 * @param {unknown} value
 * @returns {string | null}
 */
export function safeImageUrl(value) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
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
  const value = displayFields
    .map(field => fields[field])
    .find(field => field !== undefined && field !== null && field !== '');
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
 * account on top, a row per other account that switches when pressed, the accounts signed out of in this browser
 * (each a link to sign in again), "Add another account", the sign-outs, and removing and forgetting under "Manage
 * accounts". Nobody signed in: a chooser of the signed-out accounts when the browser lists any, else null.
 * @param {SwitcherData} data
 * @param {SwitcherLook} [look]
 * @returns {MarkupElement | null}
 */
export function switcherMarkup(data, { avatarField, detailField = 'email', theme = 'auto', label = 'Accounts' } = {}) {
  const current = data.accounts.find(account => account.current) ?? data.accounts[0];
  const remembered = data.rememberedAccounts ?? [];
  if (!current && remembered.length === 0) return null;
  const others = data.accounts.filter(account => account !== current);
  const removable = data.accounts.filter(account => account.unlinkUrl !== null);
  const hidden = (/** @type {string} */ text) => h('span', { class: 'mma-visually-hidden' }, text);
  const csrf = () => h('input', { type: 'hidden', name: '_csrf', value: data.csrfToken });
  // `change`: what the form does to the browser's accounts, announced to the other tabs (tab-notice.js).
  const post = (
    /** @type {string} */ action,
    /** @type {string} */ formClass,
    /** @type {{ kind: string, label?: string } | null} */ change,
    /** @type {string} */ buttonClass,
    /** @type {MaybeNode[]} */ ...content
  ) =>
    h(
      'form',
      { class: formClass, method: 'post', action, 'data-mma-change': change?.kind, 'data-mma-label': change?.label },
      csrf(),
      h('button', { type: 'submit', class: buttonClass }, ...content),
    );
  const badge = (/** @type {string} */ kind, /** @type {string} */ text) =>
    h('span', { class: `mma-badge mma-badge-${kind}` }, text);

  const avatar = (/** @type {ShownAccount} */ account, /** @type {string} */ size) => {
    const image = avatarField ? safeImageUrl(account.fields[avatarField]) : null;
    return image
      ? h('img', {
          class: `mma-avatar ${size}`,
          src: image,
          alt: '',
          width: '40',
          height: '40',
          loading: 'lazy',
          referrerpolicy: 'no-referrer',
        })
      : h('span', { class: `mma-avatar ${size}`, 'aria-hidden': 'true' }, initialsOf(account.label));
  };
  const detailOf = (/** @type {ShownAccount} */ account) => {
    const value = account.fields[detailField];
    return value === null || value === undefined || String(value) === account.label ? '' : String(value);
  };
  const identity = (/** @type {ShownAccount} */ account, /** @type {MaybeNode[]} */ badges) =>
    h(
      'span',
      { class: 'mma-identity' },
      h('span', { class: 'mma-name' }, account.label, ...badges.flatMap(shown => (shown ? [' ', shown] : []))),
      detailOf(account) && h('span', { class: 'mma-detail' }, detailOf(account)),
    );
  const badgesOf = (/** @type {SwitcherAccountData} */ account, /** @type {boolean} */ showCurrent) => [
    showCurrent && account.current && badge('current', 'Current'),
    account.primary && badge('primary', 'Primary'),
  ];
  const signedOut = () => [badge('signed-out', 'Signed out')];
  const switchRow = (/** @type {SwitcherAccountData} */ account) =>
    h(
      'li',
      { class: 'mma-account' },
      account.signInAgainUrl
        ? h(
            'a',
            { class: 'mma-row', href: account.signInAgainUrl },
            hidden('Sign in again to '),
            avatar(account, 'mma-avatar-medium'),
            identity(account, [badge('sign-in-again', 'Sign in again')]),
          )
        : data.perTab
          ? h(
              'a',
              { class: 'mma-row', href: account.switchUrl },
              hidden('Switch to '),
              avatar(account, 'mma-avatar-medium'),
              identity(account, badgesOf(account, false)),
            )
          : post(
              account.switchUrl,
              'mma-switch-form',
              { kind: 'switch', label: account.label },
              'mma-row',
              hidden('Switch to '),
              avatar(account, 'mma-avatar-medium'),
              identity(account, badgesOf(account, false)),
            ),
    );
  // Signing in again is a plain link: the sign-in page (through the link route when others are signed in).
  const rememberedRow = (/** @type {RememberedAccountData} */ account) =>
    h(
      'li',
      { class: 'mma-remembered-account' },
      h(
        'a',
        { class: 'mma-row', href: account.signInUrl },
        hidden('Sign in to '),
        avatar(account, 'mma-avatar-medium'),
        identity(account, signedOut()),
      ),
    );
  const removeRow = (/** @type {SwitcherAccountData} */ account) =>
    h(
      'li',
      { class: 'mma-manage-item' },
      avatar(account, 'mma-avatar-small'),
      identity(account, badgesOf(account, true)),
      post(
        /** @type {string} */ (account.unlinkUrl),
        'mma-remove-form',
        { kind: 'unlink', label: account.label },
        'mma-remove',
        'Remove',
        hidden(` ${account.label}`),
      ),
    );
  const forgetRow = (/** @type {RememberedAccountData} */ account) =>
    h(
      'li',
      { class: 'mma-manage-item' },
      avatar(account, 'mma-avatar-small'),
      identity(account, signedOut()),
      post(account.forgetUrl, 'mma-forget-form', null, 'mma-forget', 'Forget', hidden(` ${account.label}`)),
    );

  const rememberedList =
    remembered.length > 0 &&
    h('ul', { class: 'mma-remembered', 'aria-label': 'Signed-out accounts' }, ...remembered.map(rememberedRow));
  const devices =
    current &&
    data.manageAccountsUrl &&
    h(
      'li',
      { class: 'mma-manage-item' },
      h('a', { class: 'mma-devices', href: data.manageAccountsUrl }, `Devices where ${current.label} is signed in`),
    );
  const manage =
    (removable.length > 0 || remembered.length > 0 || devices) &&
    h(
      'details',
      { class: 'mma-manage' },
      h('summary', { class: 'mma-manage-trigger' }, 'Manage accounts'),
      h('ul', { class: 'mma-manage-list' }, ...removable.map(removeRow), ...remembered.map(forgetRow), devices),
    );
  const menu = (/** @type {MarkupElement} */ trigger, /** @type {MaybeNode[]} */ ...panel) =>
    h(
      'nav',
      { class: theme === 'auto' ? 'mma-switcher' : `mma-switcher mma-theme-${theme}`, 'aria-label': label },
      h('details', { class: 'mma-menu' }, trigger, h('div', { class: 'mma-panel' }, ...panel)),
    );

  if (!current) {
    // Nobody signed in, but this browser lists accounts signed out of: a chooser, as Google's sign-in shows.
    return menu(
      h(
        'summary',
        { class: 'mma-trigger mma-trigger-sign-in' },
        hidden(`${label}: `),
        h('span', { class: 'mma-trigger-name' }, 'Sign in'),
      ),
      h('p', { class: 'mma-chooser-title' }, 'Choose an account'),
      rememberedList,
      data.signInUrl !== undefined &&
        h(
          'div',
          { class: 'mma-actions' },
          h('a', { class: 'mma-action mma-add', href: data.signInUrl }, 'Use another account'),
        ),
      manage,
    );
  }
  return menu(
    h(
      'summary',
      { class: 'mma-trigger' },
      avatar(current, 'mma-avatar-small'),
      hidden(`${label}: `),
      h('span', { class: 'mma-trigger-name' }, current.label),
    ),
    h('div', { class: 'mma-current' }, avatar(current, 'mma-avatar-large'), identity(current, badgesOf(current, true))),
    others.length > 0 && h('ul', { class: 'mma-accounts', 'aria-label': 'Other accounts' }, ...others.map(switchRow)),
    rememberedList,
    h(
      'div',
      { class: 'mma-actions' },
      data.addAccountUrl !== null &&
        h('a', { class: 'mma-action mma-add', href: data.addAccountUrl }, 'Add another account'),
      post(
        data.signOutAccountUrl,
        'mma-sign-out-form',
        { kind: 'sign-out', label: current.label },
        'mma-action mma-sign-out',
        `Sign out of ${current.label}`,
      ),
      others.length > 0 &&
        post(
          data.signOutAllUrl,
          'mma-sign-out-all-form',
          { kind: 'sign-out-all' },
          'mma-action mma-sign-out-all',
          'Sign out of all accounts',
        ),
    ),
    manage,
  );
}
