/** Every message the link and switch flows show a person, named once (the original's flash texts). */
export const flashMessages = {
  SIGN_IN_TO_LINK: { kind: 'error', text: 'Please sign in to link accounts.' },
  SIGN_IN_TO_SWITCH: { kind: 'error', text: 'Please sign in to switch accounts.' },
  SIGN_IN_TO_ADD: { kind: 'info', text: 'Sign in to the account you want to add.' },
  LINKED: { kind: 'info', text: 'Account successfully linked!' },
  ALREADY_LINKED: { kind: 'error', text: 'This account is already linked.' },
  MAX_LINKED_ACCOUNTS: { kind: 'error', text: 'You have linked the maximum number of accounts.' },
  LINK_INACTIVE: { kind: 'error', text: 'This account is not active and cannot be linked.' },
  LINK_NOT_STARTED: { kind: 'error', text: 'This link request was not started in this browser session.' },
  LINK_FAILED: { kind: 'error', text: 'The account could not be linked.' },
  NO_MULTI_ACCOUNT_SESSION: { kind: 'error', text: 'Multi-account session not found. Please link accounts first.' },
  SWITCH_NOT_AUTHORIZED: { kind: 'error', text: 'You cannot switch to this account from this browser session.' },
  SWITCHED: { kind: 'info', text: 'Switched account.' },
  FALLBACK_INACTIVE: {
    kind: 'error',
    text: 'The account you were using is no longer active; you are now using another account of this session.',
  },
  FALLBACK_DELETED: {
    kind: 'error',
    text: 'The account you were using no longer exists; you are now using another account of this session.',
  },
  UNLINKED: { kind: 'info', text: 'The account was removed from this browser.' },
  UNLINK_NOT_FOUND: { kind: 'error', text: 'This account is not linked in this browser session.' },
  UNLINK_NOT_AUTHORIZED: { kind: 'error', text: 'Only the primary account can remove other accounts.' },
  SIGNED_OUT_ACCOUNT: { kind: 'info', text: 'Signed out of that account; the other accounts stay signed in.' },
  SIGNED_OUT: { kind: 'info', text: 'Signed out.' },
  SIGNED_OUT_ALL: { kind: 'info', text: 'Signed out of all accounts.' },
  FORGOTTEN: { kind: 'info', text: 'This browser no longer lists that account.' },
  FORGET_NOT_FOUND: { kind: 'error', text: 'This browser does not list that account.' },
  SIGN_IN_AGAIN: { kind: 'info', text: 'Please sign in to this account again.' },
  SIGN_IN_AGAIN_TO_SWITCH: { kind: 'error', text: 'Sign in to this account again to switch to it.' },
  SIGNED_IN_AGAIN: { kind: 'info', text: 'Signed in again.' },
  DEVICE_SIGNED_OUT: { kind: 'info', text: 'That browser is signed out of this account.' },
  DEVICE_NOT_FOUND: { kind: 'error', text: 'This account is not signed in on that browser.' },
  OTHER_DEVICES_SIGNED_OUT: { kind: 'info', text: 'Every other browser is signed out of this account.' },
} as const;

export type FlashCode = keyof typeof flashMessages;
