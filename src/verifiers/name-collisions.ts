import type { EntityMetadata } from '@mikro-orm/core';
import { fixedLinkProperties } from '../dsl/linked-account-options.ts';
import type { ConfigProblem, ProblemFactory } from '../errors/config-error.ts';
import { namesTakenByRepository } from '../transformers/repository.ts';
import { duplicates, propertyOf, type LinkEntityContext, type UserEntityContext } from './verification-context.ts';

/** The user's generated names are free: no column of that name, no repository method already there. */
export function checkUserNames({ meta, options, problem }: UserEntityContext): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const calculation = options.linkedAccountsCalculationName;
  if (propertyOf(meta, calculation)) {
    problems.push(
      problem(
        'linkedAccountsCalculationName',
        'NAME_IS_A_PROPERTY',
        calculation,
        meta.className,
        'linkedAccountsCalculationName',
      ),
    );
  }
  const methods = {
    linkedAccountsCalculationName: calculation,
    getUserWithLinkedAccountsActionName: options.getUserWithLinkedAccountsActionName,
  };
  problems.push(...repositoryProblems(meta, methods, problem));
  return problems;
}

/** The link's configured names are distinct, and what the app declared under them is what the link needs. */
export function checkLinkNames({ meta, options, problem }: LinkEntityContext): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const attributes = {
    sessionTokenAttributeName: options.sessionTokenAttributeName,
    statusAttributeName: options.statusAttributeName,
    primaryUserRelationshipName: options.primaryUserRelationshipName,
    linkedUserRelationshipName: options.linkedUserRelationshipName,
  };
  const usedTwice = duplicates([...Object.values(attributes), ...Object.values(fixedLinkProperties)]);
  for (const [option, name] of Object.entries(attributes)) {
    if (usedTwice.has(name)) {
      problems.push(problem(option, 'NAME_USED_TWICE', name));
    }
  }
  const expect = (option: string, name: string, ok: boolean, needs: string) => {
    if (!ok) problems.push(problem(option, 'DECLARED_DIFFERENTLY', meta.className, name, needs, option));
  };
  const userEntity = options.userResource();
  const scalarOf = (name: string, runtimeType: string) => {
    const property = propertyOf(meta, name);
    return property?.kind === 'scalar' && property.persist !== false && property.runtimeType === runtimeType;
  };
  expect(
    'sessionTokenAttributeName',
    options.sessionTokenAttributeName,
    scalarOf(options.sessionTokenAttributeName, 'string'),
    'a uuid string column',
  );
  expect(
    'statusAttributeName',
    options.statusAttributeName,
    scalarOf(options.statusAttributeName, 'string'),
    "a string column holding 'active' or 'inactive'",
  );
  for (const option of ['primaryUserRelationshipName', 'linkedUserRelationshipName'] as const) {
    const property = propertyOf(meta, options[option]);
    expect(
      option,
      options[option],
      property?.kind === 'm:1' && property.targetMeta?.class === userEntity,
      `a many-to-one to ${userEntity.name}`,
    );
  }
  for (const timestamp of [fixedLinkProperties.insertedAt, fixedLinkProperties.updatedAt]) {
    expect(timestamp, timestamp, scalarOf(timestamp, 'Date'), 'a datetime column');
  }
  const isActive = propertyOf(meta, fixedLinkProperties.isActive);
  expect(
    fixedLinkProperties.isActive,
    fixedLinkProperties.isActive,
    isActive?.persist === false,
    'a calculated (non-persistent) boolean',
  );

  const actions = {
    createActionName: options.createActionName,
    getLinkedAccountsActionName: options.getLinkedAccountsActionName,
    activateActionName: options.activateActionName,
    deactivateActionName: options.deactivateActionName,
    readActionName: options.readActionName,
    destroyActionName: options.destroyActionName,
  };
  problems.push(...repositoryProblems(meta, actions, problem));
  return problems;
}

/** Generated method names must be distinct, and free on the repository (the app's own, or MikroORM's). */
function repositoryProblems(
  meta: EntityMetadata,
  methods: Record<string, string>,
  problem: ProblemFactory,
): ConfigProblem[] {
  const names = Object.values(methods);
  const [usedTwice, shadowed] = [duplicates(names), new Set(namesTakenByRepository(meta, names))];
  return Object.entries(methods).flatMap(([option, name]) => {
    if (usedTwice.has(name)) return [problem(option, 'METHOD_NAME_USED_TWICE', name)];
    if (shadowed.has(name)) return [problem(option, 'REPOSITORY_METHOD_EXISTS', meta.className, name, option)];
    return [];
  });
}
