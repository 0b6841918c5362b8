import type { MetadataStorage } from '@mikro-orm/core';
import { linkedAccountOptionsOf, multiAccountOptionsOf } from '../dsl/registry.ts';
import { MultiAccountConfigError, problemsAt, type ConfigProblem } from '../errors/config-error.ts';
import { checkActiveCheck } from './active-check.ts';
import { checkDisplayFields } from './display-fields.ts';
import { checkLinkedAccountResource, checkUserResource } from './mutual-references.ts';
import { checkLinkNames, checkUserNames } from './name-collisions.ts';
import type { LinkEntityContext, UserEntityContext } from './verification-context.ts';

const userChecks = [checkLinkedAccountResource, checkDisplayFields, checkActiveCheck, checkUserNames, checkPrimaryKey];

/**
 * Every multi-account problem in a discovered ORM, e.g. `verifyMultiAccount(orm.getMetadata())`.
 * Runs by itself at `MikroORM.init` when the config went through `withMultiAccount`.
 */
export function verifyMultiAccount(storage: MetadataStorage): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const meta of storage) {
    const userOptions = multiAccountOptionsOf(meta.class);
    if (userOptions) {
      const problem = problemsAt({ entity: meta.className, decorator: 'multiAccount' });
      const context: UserEntityContext = { storage, meta, options: userOptions, problem };
      problems.push(...userChecks.flatMap(check => check(context)));
    }
    const linkOptions = linkedAccountOptionsOf(meta.class);
    if (linkOptions) {
      const problem = problemsAt({ entity: meta.className, decorator: 'linkedAccountResource' });
      const context: LinkEntityContext = { storage, meta, options: linkOptions, problem };
      // Name checks need a valid user entity to compare against; the reference check explains when it is not.
      const referenceProblems = checkUserResource(context);
      problems.push(...(referenceProblems.length > 0 ? referenceProblems : checkLinkNames(context)));
    }
  }
  return problems;
}

/** Throws one `MultiAccountConfigError` listing every problem, if there is any. */
export function assertValidMultiAccount(storage: MetadataStorage): void {
  const problems = verifyMultiAccount(storage);
  if (problems.length > 0) throw new MultiAccountConfigError(problems);
}

function checkPrimaryKey({ meta, problem }: UserEntityContext): ConfigProblem[] {
  return meta.primaryKeys.length === 1 ? [] : [problem('(primary key)', 'COMPOSITE_PRIMARY_KEY', meta.className)];
}
