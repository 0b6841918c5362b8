/** How much per-account state a browser session may hold, in bytes of JSON (see `accountState`). */
export interface AccountStateLimits {
  maxBytesPerAccount: number;
  maxBytes: number;
}

// The cookie store keeps the whole session in one cookie, which browsers cap at about 4 KB once encoded.
export const defaultAccountStateLimits: AccountStateLimits = { maxBytesPerAccount: 1024, maxBytes: 2048 };

/** An app wrote more per-account state than `accountState` allows; the write is not kept. */
export class AccountStateTooLargeError extends Error {
  constructor(
    readonly limit: keyof AccountStateLimits,
    readonly bytes: number,
    readonly allowed: number,
  ) {
    super(
      `mikro-multi-account: accountSession(ctx) would hold ${bytes} bytes of JSON${
        limit === 'maxBytes' ? ' for all accounts of this browser' : ' for one account'
      }, over \`accountState.${limit}\` (${allowed}). Keep less in it, or raise the limit (with the cookie store ` +
        'the whole session must fit in one cookie).',
    );
  }
}
