import type { ConfigProblem } from '../errors/config-error.ts';
import { resolveOptions, type OptionDeclarations } from './option-schema.ts';

/**
 * A class decorator that works both as a legacy (`experimentalDecorators`) and as a standard ES decorator:
 * it only validates the options and records them for discovery.
 */
export type MultiAccountClassDecorator = (target: Function, context?: ClassDecoratorContext) => void;

export function recordingDecorator<Resolved>(
  decorator: ConfigProblem['decorator'],
  declarations: OptionDeclarations,
  options: unknown,
  record: (target: Function, resolved: Resolved) => void,
): MultiAccountClassDecorator {
  return (target, context) => {
    const entity = context?.name ?? target.name;
    record(target, resolveOptions<Resolved>(declarations, options, { entity, decorator }));
  };
}
