import { SyntaxKind, type SourceFile } from 'ts-morph';
import { ensureNamedImports, relativeSpecifier } from './imports.ts';
import type { NextStep } from './next-steps.ts';
import type { LinkEntity } from './patch-link-entity.ts';

/** Registers the link entity in the config's `entities` and wraps the config object in `withMultiAccount(...)`. */
export function patchConfig(config: SourceFile, link: LinkEntity, nextSteps: NextStep[]): void {
  const entities = config
    .getDescendantsOfKind(SyntaxKind.PropertyAssignment)
    .find(property => property.getName() === 'entities');
  const list = entities?.getInitializerIfKind(SyntaxKind.ArrayLiteralExpression);
  if (!entities || !list) {
    nextSteps.push({
      message: `Add ${link.name} to your MikroORM entities and wrap the config in withMultiAccount(...).`,
      file: config.getFilePath(),
    });
    return;
  }
  if (list.getElements().some(element => element.getKind() === SyntaxKind.StringLiteral)) {
    nextSteps.push({
      message: `Your entities are found by path: make sure ${link.file.getBaseName()} matches one of them.`,
      file: config.getFilePath(),
      line: list.getStartLineNumber(),
    });
  } else if (!list.getElements().some(element => element.getText() === link.name)) {
    list.addElement(link.name);
    ensureNamedImports(config, relativeSpecifier(config, link.file.getFilePath()), [link.name]);
  }
  const options = entities.getParentIfKindOrThrow(SyntaxKind.ObjectLiteralExpression);
  const call = options.getParentIfKind(SyntaxKind.CallExpression);
  if (call?.getExpression().getText() === 'withMultiAccount') return;
  options.replaceWithText(`withMultiAccount(${options.getText()})`);
  ensureNamedImports(config, 'mikro-multi-account', ['withMultiAccount']);
}
