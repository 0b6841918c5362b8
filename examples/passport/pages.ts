import type { Flash } from '../../src/koa/index.ts';
import { html } from '../demo/views/html.ts';
import { layout } from '../demo/views/layout.ts';

/**
 * Two ways in: the app's own password (passport-local), or Example ID (OpenID Connect). `email`: a remembered
 * account signing in again (its login_hint), filled in here and passed on to Example ID.
 */
export function signInPage({
  csrfToken,
  returnTo,
  addingAccount,
  email = '',
  error,
  flash,
}: {
  csrfToken: string;
  returnTo: string;
  addingAccount: boolean;
  email?: string;
  error?: string;
  flash?: Flash;
}): string {
  return layout({
    title: 'Sign in',
    flash: error ?? flash,
    body: html`<section class="card"><h1>${addingAccount ? 'Sign in to the account to add' : 'Sign in'}</h1>
<form method="post" action="/sign-in">
<input type="hidden" name="_csrf" value="${csrfToken}">
<input type="hidden" name="return_to" value="${returnTo}">
<label for="email">Email</label>\
<input id="email" name="email" type="email" autocomplete="username" required value="${email}">
<label for="password">Password</label>\
<input id="password" name="password" type="password" autocomplete="current-password" required\
${email ? html` autofocus` : ''}>
<p><button type="submit">Sign in</button></p>
</form>
<form method="post" action="/auth/example-id">
<input type="hidden" name="_csrf" value="${csrfToken}">
<input type="hidden" name="return_to" value="${returnTo}">${
      email
        ? html`
<input type="hidden" name="login_hint" value="${email}">`
        : ''
    }
<p><button class="secondary" type="submit">Sign in with Example ID</button></p>
</form>
<p class="muted">Password: alice@, bob@ or carol@example.com with <code>demo-password</code>. \
Example ID: the same emails with <code>example-id-password</code>.</p></section>`,
  });
}
