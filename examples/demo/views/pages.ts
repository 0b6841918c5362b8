import { renderAccountSwitcher, type AccountSwitcherModel, type Flash } from '../../../src/koa/index.ts';
import type { Note, Team, User } from '../entities.ts';
import { html, SafeHtml } from './html.ts';
import { layout } from './layout.ts';

/** The library's default switcher for the header; nothing when there is nothing to show. */
function switcherOf(model: AccountSwitcherModel<User> | undefined): SafeHtml | undefined {
  const markup = model ? renderAccountSwitcher(model) : '';
  return markup === '' ? undefined : new SafeHtml(markup);
}

/** What the home page shows of the acting account's teams: the active one, the chooser's, and its notes. */
export interface TeamView {
  active: Team;
  teams: Team[];
  notes: Note[];
}

/** The header's part: the active team, so a switch of account visibly switches teams too. */
function teamBadge(view: TeamView): SafeHtml {
  return html`<span class="team">Team: <strong>${view.active.name}</strong></span>`;
}

/** The active team's notes, the chooser of the account's teams and a form to add a note (both act as it). */
function teamNotes(view: TeamView, csrfToken: string, tab: string): SafeHtml {
  const options = view.teams.map(
    team =>
      html`<option value="${String(team.id)}"${team.id === view.active.id ? ' selected' : ''}>${team.name}</option>`,
  );
  const notes = view.notes.map(note => html`<li>${note.text} <span class="muted">— ${note.author.name}</span></li>`);
  return html`<section class="card"><h2>Notes · <span data-testid="active-team">${view.active.name}</span></h2>
<form method="post" action="${tab}/team"><input type="hidden" name="_csrf" value="${csrfToken}">\
<label for="team">Team</label> <select id="team" name="team">${options}</select> \
<button class="secondary" type="submit">Open team</button></form>
<ul data-testid="notes">${notes}</ul>
<form method="post" action="${tab}/notes"><input type="hidden" name="_csrf" value="${csrfToken}">\
<label for="note">Note</label> <input id="note" name="text" maxlength="500" required> \
<button type="submit">Add note</button></form>
</section>`;
}

export function homePage({
  user,
  primary,
  switcher,
  flash,
  tab = '',
  team,
}: {
  user: User | null;
  primary: User | null;
  switcher: AccountSwitcherModel<User>;
  flash?: Flash;
  /** A `/u/N` tab's prefix, for the page's own forms. */
  tab?: string;
  team?: TeamView | null;
}): string {
  if (!user) {
    return layout({
      title: 'Welcome',
      flash,
      // Nobody signed in: the accounts this browser remembers as signed out, if any, to sign in again.
      switcher: switcherOf(switcher),
      body: html`<section class="card"><h1>Welcome</h1>
<p class="muted">Sign in with one of the demo accounts, then add a second one and switch between them \
without signing in again.</p>
<p><a class="button" href="/sign-in">Sign in</a> \
<a class="button secondary" href="/sign-up">Create an account</a></p></section>`,
    });
  }
  return layout({
    title: 'Home',
    flash,
    // The library's default switcher, as any app would show it.
    switcher: switcherOf(switcher),
    body: html`<section class="card"><h1 data-testid="signed-in-as">Signed in as ${user.name}</h1>
<p class="muted">${user.email}\
${primary && primary.id !== user.id ? html` · this browser session started with ${primary.name}` : ''}</p>
<p>Open the menu at the top right to switch to another account of this browser, add one, or sign out.</p>
<p class="muted">The same switcher as a custom element, for single-page apps: \
<a href="/spa">the single-page view</a>.</p>
<form method="post" action="/sign-out"><input type="hidden" name="_csrf" value="${switcher.csrfToken}">\
<button class="secondary" type="submit">Sign out</button></form></section>
${team ? teamNotes(team, switcher.csrfToken, tab) : ''}`,
    team: team ? teamBadge(team) : undefined,
  });
}

/** The single-page view: an empty shell that the custom element and a small script of the app fill in. */
export function singlePage(): string {
  return layout({
    title: 'Single-page view',
    // The page's own script first: modules run in order, and the element's first `mma-accounts` may fire
    // before a script after it has run (it did, under load).
    switcher: html`<mma-account-switcher src="/link/accounts"></mma-account-switcher>
<script type="module" src="/spa.js"></script>
<script type="module" src="/link/switcher/element.js"></script>`,
    body: html`<section class="card"><h1 data-testid="signed-in-as">Loading…</h1>
<p class="muted" data-testid="spa-note">This page is never reloaded by a switch: \
it listens to the switcher's <code>mma-switch</code> event.</p>
<p><a href="/">Back to the server-rendered view</a></p></section>`,
  });
}

export function signInPage({
  csrfToken,
  returnTo,
  email = '',
  error,
  flash,
  switcher,
}: {
  csrfToken: string;
  returnTo: string;
  email?: string;
  error?: string;
  flash?: Flash;
  switcher?: AccountSwitcherModel<User>;
}): string {
  return layout({
    title: 'Sign in',
    flash: error ?? flash,
    switcher: switcherOf(switcher),
    body: html`<section class="card"><h1>Sign in</h1>
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
<p class="muted">Demo accounts: alice@, bob@, carol@ and dave@example.com (dave is deactivated), \
password <code>demo-password</code>. No account? <a href="/sign-up">Create one</a>.</p></section>`,
  });
}

export function signUpPage({
  csrfToken,
  name = '',
  email = '',
  error,
}: {
  csrfToken: string;
  name?: string;
  email?: string;
  error?: string;
}): string {
  return layout({
    title: 'Create an account',
    flash: error,
    body: html`<section class="card"><h1>Create an account</h1>
<form method="post" action="/sign-up">
<input type="hidden" name="_csrf" value="${csrfToken}">
<label for="name">Name</label><input id="name" name="name" type="text" required maxlength="80" value="${name}">
<label for="email">Email</label>\
<input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${email}">
<label for="password">Password (at least 8 characters)</label>\
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="8">
<p><button type="submit">Create account</button></p>
</form></section>`,
  });
}

export function serviceUnavailablePage(): string {
  return layout({
    title: 'Temporarily unavailable',
    body: html`<section class="card"><h1>Temporarily unavailable</h1>\
<p class="muted">The database cannot be reached right now. Please try again in a moment.</p></section>`,
  });
}
