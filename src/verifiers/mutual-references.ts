import { linkedAccountOptionsOf, multiAccountOptionsOf } from '../dsl/registry.ts';
import type { ConfigProblem } from '../errors/config-error.ts';
import { resolveThunk, type LinkEntityContext, type UserEntityContext } from './verification-context.ts';

/** The user entity names a link entity that is decorated, registered and points back. */
export function checkLinkedAccountResource({ storage, meta, options, problem }: UserEntityContext): ConfigProblem[] {
  const { target, error } = resolveThunk(options.linkedAccountResource);
  if (!target)
    return [problem('linkedAccountResource', 'ENTITY_THUNK_FAILED', error!, 'link entity class: () => LinkedAccount')];
  const linkOptions = linkedAccountOptionsOf(target);
  if (!linkOptions) {
    return [problem('linkedAccountResource', 'NOT_A_LINK_ENTITY', target.name, meta.className)];
  }
  const problems: ConfigProblem[] = [];
  const pointsTo = resolveThunk(linkOptions.userResource).target;
  if (pointsTo !== meta.class) {
    problems.push(
      problem(
        'linkedAccountResource',
        'REFERENCES_DO_NOT_MATCH',
        target.name,
        pointsTo?.name ?? 'nothing',
        meta.className,
      ),
    );
  }
  if (!storage.find(target)) {
    problems.push(problem('linkedAccountResource', 'NOT_REGISTERED', target.name));
  }
  return problems;
}

/** The link entity names a user entity that is decorated and registered. */
export function checkUserResource({ storage, options, problem }: LinkEntityContext): ConfigProblem[] {
  const { target, error } = resolveThunk(options.userResource);
  if (!target) return [problem('userResource', 'ENTITY_THUNK_FAILED', error!, 'user entity class: () => User')];
  if (!multiAccountOptionsOf(target)) return [problem('userResource', 'NOT_A_USER_ENTITY', target.name)];
  if (!storage.find(target)) return [problem('userResource', 'NOT_REGISTERED', target.name)];
  return [];
}
