import { recordingDecorator, type MultiAccountClassDecorator } from './decorate.ts';
import { multiAccountOptionDeclarations, type MultiAccountOptions, type ResolvedMultiAccountOptions } from './multi-account-options.ts';
import { recordUserEntity } from './registry.ts';

/**
 * Marks the app's user entity as able to hold several accounts in one browser session.
 *
 * @example
 * @Entity()
 * @MultiAccount({ linkedAccountResource: () => LinkedAccount, displayFields: ['email'] })
 * export class User { ... }
 */
export function MultiAccount(options: MultiAccountOptions): MultiAccountClassDecorator {
  return recordingDecorator<ResolvedMultiAccountOptions>('multiAccount', multiAccountOptionDeclarations, options, recordUserEntity);
}
