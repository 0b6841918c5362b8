import type { ConfigProblem } from '../errors/config-error.ts';
import type { UserEntityContext } from './verification-context.ts';

/** Every display field is something a loaded user has: a property, a formula, or a getter. */
export function checkDisplayFields({ meta, options, problem }: UserEntityContext): ConfigProblem[] {
  return options.displayFields
    .filter(field => !(field in meta.properties) && !(field in meta.prototype))
    .map(field =>
      problem('displayFields', 'UNKNOWN_DISPLAY_FIELD', field, meta.className, Object.keys(meta.properties).join(', ')),
    );
}
