import type { EntityMetadata, MetadataStorage, Options, Platform } from '@mikro-orm/core';
import { linkedAccountOptionsOf, multiAccountOptionsOf } from '../dsl/registry.ts';
import { sharedAcrossCopies } from '../dsl/shared-across-copies.ts';
import { assertValidMultiAccount } from '../verifiers/verify-multi-account.ts';
import { multiAccountSessionSchema } from './browser-session-entity.ts';
import { multiAccountSessionAccountSchema } from './session-account-entity.ts';
import { transformLinkEntity } from './link-entity.ts';
import { transformUserEntity } from './user-entity.ts';

/**
 * Wires multi-account into a MikroORM config: the decorated entities get their generated schema during
 * discovery (so `orm.schema` and migrations see it), and the verifiers run once discovery is done. Discovery
 * hooks the config already has keep running, before ours.
 *
 * @example
 * const orm = await MikroORM.init(withMultiAccount({ entities: [User, LinkedAccount], ... }));
 */
export function withMultiAccount<Config extends Partial<Options>>(config: Config): Config {
  const discovery = config.discovery ?? {};
  // Wrapping twice (an app's config, then a CLI) must not run the transformers twice.
  if (wrappedDiscoveries.has(discovery)) return config;
  const wrapped = {
    ...config,
    ...withSessionEntity(config),
    discovery: {
      ...discovery,
      onMetadata(meta: EntityMetadata, platform: Platform) {
        return after(discovery.onMetadata?.(meta, platform), () => transformEntity(meta, platform));
      },
      afterDiscovered(storage: MetadataStorage, platform: Platform) {
        return after(discovery.afterDiscovered?.(storage, platform), () => assertValidMultiAccount(storage));
      },
    },
  };
  wrappedDiscoveries.add(wrapped.discovery);
  return wrapped;
}

const wrappedDiscoveries = sharedAcrossCopies('wrapped-discoveries', () => new WeakSet<object>());

/** The browser-session records' entities join the app's entities (listed classes or globs alike). */
function withSessionEntity(config: Partial<Options>): Partial<Options> {
  const ours = [multiAccountSessionSchema, multiAccountSessionAccountSchema];
  const add = (entities: Options['entities'] | undefined) => [
    ...(entities ?? []),
    ...ours.filter(schema => !entities?.includes(schema)),
  ];
  return {
    entities: add(config.entities) as Options['entities'],
    ...(config.entitiesTs?.length ? { entitiesTs: add(config.entitiesTs) as Options['entitiesTs'] } : {}),
  };
}

/** Runs the multi-account transformers for one discovered entity (exported for custom discovery set-ups). */
export function transformEntity(meta: EntityMetadata, platform: Platform): void {
  const userOptions = multiAccountOptionsOf(meta.class);
  if (userOptions) transformUserEntity(meta, userOptions, platform);
  const linkOptions = linkedAccountOptionsOf(meta.class);
  if (linkOptions) transformLinkEntity(meta, linkOptions, platform);
}

// Stays synchronous when the app's hook is, so `MikroORM.initSync` keeps working.
function after(previous: unknown, next: () => void): void | Promise<void> {
  return previous instanceof Promise ? previous.then(next) : next();
}
