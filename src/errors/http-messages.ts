/** What the Koa bindings answer with an error status, named once: the texts a person or a client may see. */
export const httpMessages = {
  NOT_SIGNED_IN: 'Not signed in.',
  SIGN_IN_AGAIN: 'Sign in again to continue.',
  MALFORMED_URL: 'Malformed URL.',
  CSRF_TOKEN_INVALID: 'Invalid or missing CSRF token.',
  BODY_TOO_LARGE: 'Request body too large.',
  BODY_MALFORMED: 'Malformed request body.',
  ACCOUNT_INDEX_INVALID: (header: string) =>
    `${header} must be an account index: 0 for the primary, 1… for linked accounts.`,
  ACCOUNT_INDEX_UNKNOWN: 'No account with this index in this browser session.',
  ACCOUNT_CHANGED: 'This page was made for another account than the one signed in now: nothing was changed.',
  SESSION_CHANGED: 'This browser session changed in another tab or window. Reload the page and try again.',
  SESSION_STORE_UNAVAILABLE: 'The session store is temporarily unavailable. Please try again in a moment.',
  DATABASE_UNAVAILABLE: 'The service is temporarily unavailable. Please try again in a moment.',
} as const;
