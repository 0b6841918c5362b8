import type { AccountSwitcherModel, Flash } from '../../../src/koa/index.ts';
import type { User } from '../entities.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';

const initials = (name: string) => name.trim().slice(0, 1).toUpperCase() || '?';

function postButton(action: string, label: string, csrfToken: string, style: 'secondary' | 'link' = 'secondary') {
  return html`<form class="inline" method="post" action="${action}"><input type="hidden" name="_csrf" value="${csrfToken}"><button class="${style}" type="submit">${label}</button></form>`;
}

export function homePage({ user, primary, switcher, flash }: { user: User | null; primary: User | null; switcher: AccountSwitcherModel<User>; flash?: Flash }): string {
  if (!user) {
    return layout({
      title: 'Welcome',
      flash,
      body: html`<section class="card"><h1>Welcome</h1>
<p class="muted">Sign in with one of the demo accounts, then add a second one and switch between them without signing in again.</p>
<p><a class="button" href="/sign-in">Sign in</a> <a class="button secondary" href="/sign-up">Create an account</a></p></section>`,
    });
  }
  const accounts = switcher.accounts.map(
    account => html`<li>
  <span class="avatar" aria-hidden="true">${initials(account.user.name)}</span>
  <span class="who">${account.user.name}${account.primary ? html`<span class="tag">primary</span>` : ''}${account.current ? html`<span class="tag current">current</span>` : ''}<small>${account.user.email}</small></span>
  ${account.current ? '' : postButton(account.switchUrl, `Switch to ${account.user.name}`, switcher.csrfToken)}
  ${account.unlinkUrl ? postButton(account.unlinkUrl, `Remove ${account.user.name}`, switcher.csrfToken, 'link') : ''}
</li>`,
  );
  return layout({
    title: 'Home',
    flash,
    signedIn: postButton('/sign-out', 'Sign out', switcher.csrfToken),
    body: html`<section class="card"><h1 data-testid="signed-in-as">Signed in as ${user.name}</h1>
<p class="muted">${user.email}${primary && primary.id !== user.id ? html` · this browser session started with ${primary.name}` : ''}</p></section>
<section class="card"><h2>Accounts in this browser</h2>
<ul class="accounts" data-testid="account-switcher">${accounts}</ul>
<div class="actions">${switcher.addAccountUrl ? html`<a class="button" href="${switcher.addAccountUrl}">Add account</a>` : ''}
${postButton(switcher.signOutAccountUrl, `Sign out of ${user.name}`, switcher.csrfToken)}
${switcher.accounts.length > 1 ? postButton(switcher.signOutAllUrl, 'Sign out of all accounts', switcher.csrfToken) : ''}</div></section>`,
  });
}

export function signInPage({ csrfToken, returnTo, email = '', error, flash }: { csrfToken: string; returnTo: string; email?: string; error?: string; flash?: Flash }): string {
  return layout({
    title: 'Sign in',
    flash: error ?? flash,
    body: html`<section class="card"><h1>Sign in</h1>
<form method="post" action="/sign-in">
<input type="hidden" name="_csrf" value="${csrfToken}">
<input type="hidden" name="return_to" value="${returnTo}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="${email}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<p><button type="submit">Sign in</button></p>
</form>
<p class="muted">Demo accounts: alice@, bob@, carol@ and dave@example.com (dave is deactivated), password <code>demo-password</code>. No account? <a href="/sign-up">Create one</a>.</p></section>`,
  });
}

export function signUpPage({ csrfToken, name = '', email = '', error }: { csrfToken: string; name?: string; email?: string; error?: string }): string {
  return layout({
    title: 'Create an account',
    flash: error,
    body: html`<section class="card"><h1>Create an account</h1>
<form method="post" action="/sign-up">
<input type="hidden" name="_csrf" value="${csrfToken}">
<label for="name">Name</label><input id="name" name="name" type="text" required maxlength="80" value="${name}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${email}">
<label for="password">Password (at least 8 characters)</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="8">
<p><button type="submit">Create account</button></p>
</form></section>`,
  });
}

export function serviceUnavailablePage(): string {
  return layout({
    title: 'Temporarily unavailable',
    body: html`<section class="card"><h1>Temporarily unavailable</h1><p class="muted">The database cannot be reached right now. Please try again in a moment.</p></section>`,
  });
}
