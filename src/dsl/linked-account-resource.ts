import { recordingDecorator, type MultiAccountClassDecorator } from './decorate.ts';
import {
  linkedAccountOptionDeclarations,
  type LinkedAccountResourceOptions,
  type ResolvedLinkedAccountOptions,
} from './linked-account-options.ts';
import { recordLinkEntity } from './registry.ts';

/**
 * Marks the entity that stores links between accounts; its schema is generated at discovery.
 *
 * @example
 * @Entity()
 * @LinkedAccountResource({ userResource: () => User })
 * export class LinkedAccount {}
 */
export function LinkedAccountResource(options: LinkedAccountResourceOptions): MultiAccountClassDecorator {
  return recordingDecorator<ResolvedLinkedAccountOptions>(
    'linkedAccountResource',
    linkedAccountOptionDeclarations,
    options,
    recordLinkEntity,
  );
}
