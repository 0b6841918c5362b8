import { describe, expect, it } from 'vitest';
import { renderAccountSwitcher, type AccountSwitcherModel } from '../../src/koa/index.ts';

const model = (overrides: Partial<AccountSwitcherModel> = {}): AccountSwitcherModel => ({
  accounts: [
    {
      user: { name: '<script>alert(1)</script>', email: 'a@example.com' },
      fields: { name: '<script>alert(1)</script>', email: 'a@example.com' },
      id: '1',
      label: '<script>alert(1)</script>',
      current: true,
      primary: true,
      switchUrl: '/link/switch_to/1',
      unlinkUrl: null,
    },
    {
      user: { name: '"><img src=x onerror=alert(2)>', email: '<b>bob</b>' },
      fields: { name: '"><img src=x onerror=alert(2)>', email: '<b>bob</b>' },
      id: '2',
      label: '"><img src=x onerror=alert(2)>',
      current: false,
      primary: false,
      switchUrl: '/link/switch_to/2"x',
      unlinkUrl: '/link/unlink/2"x',
    },
  ],
  signOutAccountUrl: '/link/sign_out',
  signOutAllUrl: '/link/sign_out_all',
  perTab: false,
  addAccountUrl: '/sign-in?return_to=/link/p/1&x="y"',
  signInUrl: '/sign-in?x="y"',
  signOutUrl: '/sign-out',
  csrfToken: 'tok"en',
  ...overrides,
});

/** Carol, whom this browser remembers as signed out (rememberAccounts). */
const carol = {
  user: { name: '<i>Carol</i>', email: 'carol"@example.com' },
  fields: { name: '<i>Carol</i>', email: 'carol"@example.com' },
  id: '3',
  label: '<i>Carol</i>',
  signInUrl: '/sign-in?return_to=/link/p/1&login_hint=carol"@example.com',
  forgetUrl: '/link/forget/3"x',
};
const postForms = (html: string) =>
  [
    ...html.matchAll(
      new RegExp(
        '<form class="([^"]+)" method="post" action="([^"]+)"[^>]*>' +
          '<input type="hidden" name="_csrf" value="tok&quot;en"><button type="submit" class="([^"]+)">',
        'g',
      ),
    ),
  ].map(([, form, action, button]) => [form, action, button]);

describe('renderAccountSwitcher', () => {
  it('escapes everything it prints', () => {
    const html = renderAccountSwitcher(model());
    expect(html).not.toMatch(/<script|<img|<b>|onerror=alert\(2\)>/);
    expect(html).toContain('<span class="mma-trigger-name">&lt;script&gt;alert(1)&lt;/script&gt;</span>');
    const label = '&quot;&gt;&lt;img src=x onerror=alert(2)&gt;';
    expect(html).toContain(
      '<form class="mma-switch-form" method="post" action="/link/switch_to/2&quot;x" ' +
        `data-mma-change="switch" data-mma-label="${label}">`,
    );
    expect(html).toContain(
      '<form class="mma-remove-form" method="post" action="/link/unlink/2&quot;x" ' +
        `data-mma-change="unlink" data-mma-label="${label}">`,
    );
    expect(html).toContain(
      '<form class="mma-sign-out-form" method="post" action="/link/sign_out" ' +
        'data-mma-change="sign-out" data-mma-label="&lt;script&gt;alert(1)&lt;/script&gt;">',
    );
    expect(html).toContain('action="/link/sign_out_all" data-mma-change="sign-out-all">');
    expect(html).toContain(
      'Remove<span class="mma-visually-hidden"> &quot;&gt;&lt;img src=x onerror=alert(2)&gt;</span></button>',
    );
    expect(html).toContain('<span class="mma-detail">&lt;b&gt;bob&lt;/b&gt;</span>');
    expect(html).toContain('<input type="hidden" name="_csrf" value="tok&quot;en">');
    expect(html).toContain('href="/sign-in?return_to=/link/p/1&amp;x=&quot;y&quot;"');
  });

  it('posts every change of account with the CSRF token, the whole row being the button', () => {
    const html = renderAccountSwitcher(model());
    expect(postForms(html)).toEqual([
      ['mma-switch-form', '/link/switch_to/2&quot;x', 'mma-row'],
      ['mma-sign-out-form', '/link/sign_out', 'mma-action mma-sign-out'],
      ['mma-sign-out-all-form', '/link/sign_out_all', 'mma-action mma-sign-out-all'],
      ['mma-remove-form', '/link/unlink/2&quot;x', 'mma-remove'],
    ]);
    expect(html.match(/<form /g)).toHaveLength(4);
  });

  it('links rows to their tabs with per-tab selection', () => {
    const html = renderAccountSwitcher(
      model({
        perTab: true,
        accounts: model().accounts.map((account, index) => ({ ...account, switchUrl: `/u/${index}/inbox` })),
      }),
    );
    expect(html).toContain(
      '<li class="mma-account"><a class="mma-row" href="/u/1/inbox">' +
        '<span class="mma-visually-hidden">Switch to </span>',
    );
    expect(html).not.toContain('mma-switch-form');
  });

  it('shows a picture only from an http(s) or root-relative URL', () => {
    const withPicture = (picture: string) =>
      renderAccountSwitcher(
        model({
          accounts: [{ ...model().accounts[0]!, user: { name: 'Ann', picture }, fields: { name: 'Ann', picture } }],
        }),
        { avatarField: 'picture' },
      );
    expect(withPicture('https://img.example/ann.png')).toContain(
      '<img class="mma-avatar mma-avatar-small" src="https://img.example/ann.png" alt=""',
    );
    expect(withPicture('/avatars/ann.png?size=80')).toContain('src="/avatars/ann.png?size=80"');
    expect(withPicture('https://img.example/"onerror="alert(1)')).toContain(
      'src="https://img.example/&quot;onerror=&quot;alert(1)"',
    );
    for (const refused of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:image/svg+xml,<svg onload=alert(1)>',
      '//evil.example/a.png',
      '/\\evil.example/a.png',
      'https://img.example/a b.png',
      'avatars/ann.png',
      'https:///x',
    ]) {
      const html = withPicture(refused);
      expect(html, refused).not.toContain('<img');
      expect(html, refused).toContain('<span class="mma-avatar mma-avatar-small" aria-hidden="true">');
    }
  });

  it(`tucks removal away under "Manage accounts", offers one sign-out with one account, \
and prints nothing for nobody`, () => {
    expect(renderAccountSwitcher(model())).toMatch(
      new RegExp(
        '<details class="mma-manage"><summary class="mma-manage-trigger">Manage accounts</summary>' +
          '<ul class="mma-manage-list">',
      ),
    );
    const alone = renderAccountSwitcher(model({ accounts: [model().accounts[0]!] }));
    expect(alone).not.toContain('mma-manage');
    expect(alone).not.toContain('Sign out of all accounts');
    expect(alone).toContain('Sign out of &lt;script&gt;');
    expect(renderAccountSwitcher(model({ accounts: [] }))).toBe('');
  });

  it('takes a theme, a detail field and a label', () => {
    const html = renderAccountSwitcher(model(), { theme: 'dark', detailField: 'name', label: 'Your accounts' });
    expect(html).toMatch(/^<nav class="mma-switcher mma-theme-dark" aria-label="Your accounts">/);
    expect(html).not.toContain('mma-detail'); // the name is the label already: not printed twice
    expect(renderAccountSwitcher(model())).toMatch(/^<nav class="mma-switcher" aria-label="Accounts">/);
  });

  it(`lists the accounts signed out of in this browser: a link to sign in again, \
and Forget under "Manage accounts"`, () => {
    const html = renderAccountSwitcher(model({ rememberedAccounts: [carol] }));
    expect(html).not.toMatch(/<i>/);
    // After the signed-in accounts, before "Add another account".
    expect(html).toMatch(
      new RegExp(
        '<ul class="mma-accounts" aria-label="Other accounts">.*</ul>' +
          '<ul class="mma-remembered" aria-label="Signed-out accounts">.*</ul><div class="mma-actions">',
      ),
    );
    expect(html).toContain(
      '<li class="mma-remembered-account">' +
        '<a class="mma-row" href="/sign-in?return_to=/link/p/1&amp;login_hint=carol&quot;@example.com">' +
        '<span class="mma-visually-hidden">Sign in to </span>' +
        '<span class="mma-avatar mma-avatar-medium" aria-hidden="true">&lt;</span>' +
        '<span class="mma-identity"><span class="mma-name">&lt;i&gt;Carol&lt;/i&gt; ' +
        '<span class="mma-badge mma-badge-signed-out">Signed out</span></span>' +
        '<span class="mma-detail">carol&quot;@example.com</span></span></a></li>',
    );
    expect(postForms(html)).toEqual([
      ['mma-switch-form', '/link/switch_to/2&quot;x', 'mma-row'],
      ['mma-sign-out-form', '/link/sign_out', 'mma-action mma-sign-out'],
      ['mma-sign-out-all-form', '/link/sign_out_all', 'mma-action mma-sign-out-all'],
      ['mma-remove-form', '/link/unlink/2&quot;x', 'mma-remove'],
      ['mma-forget-form', '/link/forget/3&quot;x', 'mma-forget'],
    ]);
    expect(html).toContain('Forget<span class="mma-visually-hidden"> &lt;i&gt;Carol&lt;/i&gt;</span></button>');
    // With no account to remove, "Manage accounts" is there for Forget alone.
    const alone = renderAccountSwitcher(model({ accounts: [model().accounts[0]!], rememberedAccounts: [carol] }));
    expect(alone).toMatch(
      new RegExp(
        '<details class="mma-manage"><summary class="mma-manage-trigger">Manage accounts</summary>' +
          '<ul class="mma-manage-list"><li class="mma-manage-item">.*Signed out.*</li></ul></details>',
      ),
    );
    expect(postForms(alone).map(([form]) => form)).toEqual(['mma-sign-out-form', 'mma-forget-form']);
    // Nothing remembered: no such section.
    expect(renderAccountSwitcher(model({ rememberedAccounts: [] }))).toBe(renderAccountSwitcher(model()));
    expect(renderAccountSwitcher(model())).not.toContain('mma-remembered');
  });

  it('offers a chooser when nobody is signed in but this browser remembers accounts', () => {
    const html = renderAccountSwitcher(
      model({
        accounts: [],
        addAccountUrl: null,
        rememberedAccounts: [
          carol,
          {
            ...carol,
            id: '4',
            label: 'Dan',
            user: { name: 'Dan' },
            fields: { name: 'Dan' },
            forgetUrl: '/link/forget/4',
          },
        ],
      }),
    );
    expect(html).toMatch(
      new RegExp(
        '^<nav class="mma-switcher" aria-label="Accounts"><details class="mma-menu">' +
          '<summary class="mma-trigger mma-trigger-sign-in"><span class="mma-visually-hidden">Accounts: </span>' +
          '<span class="mma-trigger-name">Sign in</span></summary><div class="mma-panel">' +
          '<p class="mma-chooser-title">Choose an account</p>' +
          '<ul class="mma-remembered" aria-label="Signed-out accounts">',
      ),
    );
    expect(html.match(/<li class="mma-remembered-account">/g)).toHaveLength(2);
    expect(html).toContain(
      '<div class="mma-actions">' +
        '<a class="mma-action mma-add" href="/sign-in?x=&quot;y&quot;">Use another account</a></div>',
    );
    // Nobody to sign out of or remove: the only forms forget.
    expect(postForms(html)).toEqual([
      ['mma-forget-form', '/link/forget/3&quot;x', 'mma-forget'],
      ['mma-forget-form', '/link/forget/4', 'mma-forget'],
    ]);
    expect(html).not.toMatch(/<i>|mma-sign-out|mma-current|Add another account/);
    expect(renderAccountSwitcher(model({ accounts: [], rememberedAccounts: [] }))).toBe('');
  });

  it(`offers an account past reauthenticateAfter as a link to sign in again instead of a switch, and links \
Manage accounts to this account's devices`, () => {
    const [current, bob] = model().accounts;
    const html = renderAccountSwitcher(
      model({
        accounts: [current!, { ...bob!, signInAgainUrl: '/link/sign_in_again/2?return_to=%2F"x' }],
        manageAccountsUrl: '/link/devices"x',
      }),
    );
    expect(html).toContain(
      '<li class="mma-account"><a class="mma-row" href="/link/sign_in_again/2?return_to=%2F&quot;x">' +
        '<span class="mma-visually-hidden">Sign in again to </span>',
    );
    expect(html).toContain('<span class="mma-badge mma-badge-sign-in-again">Sign in again</span>');
    expect(postForms(html).map(([, action]) => action)).not.toContain('/link/switch_to/2&quot;x');
    expect(html).toContain('<a class="mma-devices" href="/link/devices&quot;x">Devices where ');
  });
});
