import type { EntityMetadata, EntityRepository, Platform } from '@mikro-orm/core';
import { multiAccountPair } from '../actions/multi-account-pair.ts';
import { UserCalculations } from '../actions/user-calculations.ts';
import type { ResolvedMultiAccountOptions } from '../dsl/multi-account-options.ts';
import { extendRepository } from './repository.ts';

/** Gives the `@MultiAccount` user entity's repository its calculation and read action. */
export function transformUserEntity(
  meta: EntityMetadata,
  options: ResolvedMultiAccountOptions,
  platform: Platform,
): void {
  const calculations = (repository: EntityRepository<object>) => {
    const em = repository.getEntityManager();
    return new UserCalculations(em, multiAccountPair(em, meta.class));
  };
  extendRepository(meta, platform, {
    [options.linkedAccountsCalculationName]: function (users, sessionToken) {
      return calculations(this).linkedAccounts(users, sessionToken);
    },
    [options.getUserWithLinkedAccountsActionName]: function (primaryUserId, sessionToken) {
      return calculations(this).getUserWithLinkedAccounts(primaryUserId, sessionToken);
    },
  });
}
