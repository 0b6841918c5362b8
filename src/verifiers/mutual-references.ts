import { linkedAccountOptionsOf, multiAccountOptionsOf } from '../dsl/registry.ts';
import type { ConfigProblem } from '../errors/config-error.ts';
import { resolveThunk, type LinkEntityContext, type UserEntityContext } from './verification-context.ts';

/** The user entity names a link entity that is decorated, registered and points back. */
export function checkLinkedAccountResource({ storage, meta, options, problem }: UserEntityContext): ConfigProblem[] {
  const { target, error } = resolveThunk(options.linkedAccountResource);
  if (!target) return [problem('linkedAccountResource', `the thunk ${error}.`, 'return the link entity class: () => LinkedAccount.')];
  const linkOptions = linkedAccountOptionsOf(target);
  if (!linkOptions) {
    return [
      problem(
        'linkedAccountResource',
        `${target.name} has no @LinkedAccountResource.`,
        `decorate it: @LinkedAccountResource({ userResource: () => ${meta.className} }).`,
      ),
    ];
  }
  const problems: ConfigProblem[] = [];
  const pointsTo = resolveThunk(linkOptions.userResource).target;
  if (pointsTo !== meta.class) {
    problems.push(
      problem(
        'linkedAccountResource',
        `${target.name} has userResource set to ${pointsTo?.name ?? 'nothing'}, but expected ${meta.className}.`,
        'ensure both entities reference each other.',
      ),
    );
  }
  if (!storage.find(target)) {
    problems.push(problem('linkedAccountResource', `${target.name} is not registered with MikroORM.`, `add ${target.name} to \`entities\`.`));
  }
  return problems;
}

/** The link entity names a user entity that is decorated and registered. */
export function checkUserResource({ storage, options, problem }: LinkEntityContext): ConfigProblem[] {
  const { target, error } = resolveThunk(options.userResource);
  if (!target) return [problem('userResource', `the thunk ${error}.`, 'return the user entity class: () => User.')];
  if (!multiAccountOptionsOf(target)) {
    return [problem('userResource', `${target.name} has no @MultiAccount.`, `decorate it: @MultiAccount({ linkedAccountResource: () => ... }).`)];
  }
  if (!storage.find(target)) {
    return [problem('userResource', `${target.name} is not registered with MikroORM.`, `add ${target.name} to \`entities\`.`)];
  }
  return [];
}
