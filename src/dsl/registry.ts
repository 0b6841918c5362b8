import { MultiAccountConfigError, problemsAt } from '../errors/config-error.ts';
import type { ResolvedLinkedAccountOptions } from './linked-account-options.ts';
import type { ResolvedMultiAccountOptions } from './multi-account-options.ts';
import { entityClassOf, type EntityDefinition } from './entity-class.ts';
import { sharedAcrossCopies } from './shared-across-copies.ts';

// The decorators only record; discovery (src/transformers) reads these records later, maybe in another copy.
const { userEntities, linkEntities } = sharedAcrossCopies('registry', () => ({
  userEntities: new WeakMap<Function, ResolvedMultiAccountOptions>(),
  linkEntities: new WeakMap<Function, ResolvedLinkedAccountOptions>(),
}));

// The thunks may return a schema (`defineEntity`): everything after the decorators sees its class.
const toClass = (thunk: () => unknown) => () => entityClassOf(thunk() as EntityDefinition);

export function recordUserEntity(target: Function, options: ResolvedMultiAccountOptions): void {
  refuseTwice(userEntities, target, 'multiAccount', '@MultiAccount');
  userEntities.set(target, { ...options, linkedAccountResource: toClass(options.linkedAccountResource) });
}

export function recordLinkEntity(target: Function, options: ResolvedLinkedAccountOptions): void {
  refuseTwice(linkEntities, target, 'linkedAccountResource', '@LinkedAccountResource');
  linkEntities.set(target, { ...options, userResource: toClass(options.userResource) });
}

/** The `@MultiAccount` options of an entity (its class, or its `defineEntity` schema). */
export function multiAccountOptionsOf(target: EntityDefinition | undefined): ResolvedMultiAccountOptions | undefined {
  return target ? userEntities.get(entityClassOf(target)) : undefined;
}

export function linkedAccountOptionsOf(target: EntityDefinition | undefined): ResolvedLinkedAccountOptions | undefined {
  return target ? linkEntities.get(entityClassOf(target)) : undefined;
}

function refuseTwice(
  store: WeakMap<Function, unknown>,
  target: Function,
  decorator: 'multiAccount' | 'linkedAccountResource',
  label: string,
): void {
  if (store.has(target)) {
    throw new MultiAccountConfigError([
      problemsAt({ entity: target.name, decorator })('(decorator)', 'DECORATOR_APPLIED_TWICE', label),
    ]);
  }
}
