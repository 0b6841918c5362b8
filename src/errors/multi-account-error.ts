import { errorMessages, type MultiAccountErrorCode } from './error-codes.ts';

type MessageArgs<C extends MultiAccountErrorCode> = Parameters<(typeof errorMessages)[C]>;

/** The one error type the actions throw; `code` is stable and safe to switch on. */
export class MultiAccountError<C extends MultiAccountErrorCode = MultiAccountErrorCode> extends Error {
  override readonly name = 'MultiAccountError';
  readonly code: C;

  constructor(code: C, ...args: MessageArgs<C>) {
    super((errorMessages[code] as (...a: MessageArgs<C>) => string)(...args));
    this.code = code;
  }
}

export function isMultiAccountError<C extends MultiAccountErrorCode>(
  error: unknown,
  code?: C,
): error is MultiAccountError<C> {
  return error instanceof MultiAccountError && (code === undefined || error.code === code);
}
