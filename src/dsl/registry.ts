import { MultiAccountConfigError, problemsAt } from '../errors/config-error.ts';
import type { ResolvedLinkedAccountOptions } from './linked-account-options.ts';
import type { ResolvedMultiAccountOptions } from './multi-account-options.ts';
import { sharedAcrossCopies } from './shared-across-copies.ts';

// The decorators only record; discovery (src/transformers) reads these records later, maybe in another copy.
const { userEntities, linkEntities } = sharedAcrossCopies('registry', () => ({
  userEntities: new WeakMap<Function, ResolvedMultiAccountOptions>(),
  linkEntities: new WeakMap<Function, ResolvedLinkedAccountOptions>(),
}));

export function recordUserEntity(target: Function, options: ResolvedMultiAccountOptions): void {
  refuseTwice(userEntities, target, 'multiAccount', '@MultiAccount');
  userEntities.set(target, options);
}

export function recordLinkEntity(target: Function, options: ResolvedLinkedAccountOptions): void {
  refuseTwice(linkEntities, target, 'linkedAccountResource', '@LinkedAccountResource');
  linkEntities.set(target, options);
}

export function multiAccountOptionsOf(target: Function | undefined): ResolvedMultiAccountOptions | undefined {
  return target ? userEntities.get(target) : undefined;
}

export function linkedAccountOptionsOf(target: Function | undefined): ResolvedLinkedAccountOptions | undefined {
  return target ? linkEntities.get(target) : undefined;
}

function refuseTwice(
  store: WeakMap<Function, unknown>,
  target: Function,
  decorator: 'multiAccount' | 'linkedAccountResource',
  label: string,
): void {
  if (store.has(target)) {
    throw new MultiAccountConfigError([problemsAt({ entity: target.name, decorator })('(decorator)', 'DECORATOR_APPLIED_TWICE', label)]);
  }
}
