// The library's confirmation page submits its form itself when the navigation came from the same site: a script
// file rather than inline, so the page works under a Content-Security-Policy of `script-src 'self'`. A module (it
// imports), loaded with `type="module"`. Before it submits, it tells the other tabs (`data-mma-change` of the form).
import { announceChange } from './tab-notice.js';

const form = document.getElementById('mma-confirm');
if (form instanceof HTMLFormElement) {
  announceChange(form);
  form.submit();
}
