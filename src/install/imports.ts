import { dirname, relative } from 'node:path';
import type { SourceFile } from 'ts-morph';

/** Adds `names` to the import from `moduleSpecifier` in `file`, creating the import if there is none. */
export function ensureNamedImports(file: SourceFile, moduleSpecifier: string, names: string[]): void {
  const existing = file.getImportDeclaration(declaration => declaration.getModuleSpecifierValue() === moduleSpecifier);
  const missing = names.filter(name => !file.getImportDeclarations().some(declaration => declaration.getNamedImports().some(named => named.getName() === name)));
  if (missing.length === 0) return;
  if (existing) existing.addNamedImports(missing);
  else file.addImportDeclaration({ moduleSpecifier, namedImports: missing });
}

/**
 * The specifier `from` would use to import `to`, in the style `styleOf` (by default `from` itself) already uses
 * for relative imports (`./user.js`, `./user.ts` or `./user`).
 */
export function relativeSpecifier(from: SourceFile, to: string, styleOf: SourceFile = from): string {
  const style = styleOf
    .getImportDeclarations()
    .map(declaration => declaration.getModuleSpecifierValue())
    .find(specifier => specifier.startsWith('.'));
  const extension = style?.endsWith('.js') ? '.js' : style?.endsWith('.ts') ? '.ts' : style === undefined ? '.js' : '';
  let path = relative(dirname(from.getFilePath()), to).replace(/\\/g, '/').replace(/\.[cm]?ts$/, extension);
  if (!path.startsWith('.')) path = `./${path}`;
  return path;
}
