import { dirname, relative } from 'node:path';
import { ModuleKind, ModuleResolutionKind, type Project, type SourceFile } from 'ts-morph';

export interface NamedImport {
  name: string;
  isTypeOnly?: boolean;
}

/** Adds `names` to the import from `moduleSpecifier` in `file`, creating the import if there is none. */
export function ensureNamedImports(file: SourceFile, moduleSpecifier: string, names: (string | NamedImport)[]): void {
  const existing = file.getImportDeclaration(declaration => declaration.getModuleSpecifierValue() === moduleSpecifier);
  const missing = names
    .map(name => (typeof name === 'string' ? { name } : name))
    .filter(
      ({ name }) =>
        !file
          .getImportDeclarations()
          .some(declaration => declaration.getNamedImports().some(named => named.getName() === name)),
    );
  if (missing.length === 0) return;
  const imports = missing.map(({ name, isTypeOnly }) => (isTypeOnly ? { name, isTypeOnly } : name));
  if (existing && !existing.isTypeOnly() && !existing.getNamespaceImport()) existing.addNamedImports(imports);
  else file.addImportDeclaration({ moduleSpecifier, namedImports: imports });
}

/** How an app spells relative imports: `./user.js`, `./user.ts` or `./user`. */
export type ImportExtensionStyle = '.js' | '.ts' | '';

const styles = new WeakMap<Project, ImportExtensionStyle>();

/**
 * The relative import style of the whole app: the one most of its relative imports (and re-exports) use, or,
 * when it has none yet, what its compiler options call for (`.ts` with `allowImportingTsExtensions` or
 * `rewriteRelativeImportExtensions`, `.js` under Node16/NodeNext, none with a bundler or classic resolution).
 */
export function importStyleOf(project: Project): ImportExtensionStyle {
  const known = styles.get(project);
  if (known !== undefined) return known;
  const counts = new Map<ImportExtensionStyle, number>();
  for (const file of project.getSourceFiles()) {
    if (file.isInNodeModules() || file.isDeclarationFile()) continue;
    for (const style of relativeSpecifiersOf(file).map(styleOfSpecifier)) {
      if (style !== undefined) counts.set(style, (counts.get(style) ?? 0) + 1);
    }
  }
  const counted = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const style = counted ?? styleOfCompilerOptions(project);
  styles.set(project, style);
  return style;
}

/**
 * The specifier `from` would use to import `to`, in the style `from` already uses for its relative imports, or,
 * when it has none, in the style of the rest of the app (`./user.js`, `./user.ts` or `./user`).
 */
export function relativeSpecifier(from: SourceFile, to: string): string {
  const own = relativeSpecifiersOf(from)
    .map(styleOfSpecifier)
    .find(style => style !== undefined);
  const style = own ?? importStyleOf(from.getProject());
  let path = relative(dirname(from.getFilePath()), to)
    .replace(/\\/g, '/')
    .replace(/\.([cm]?)ts$/, (_match, flavour: string) =>
      style === '.js' ? `.${flavour}js` : style === '.ts' ? `.${flavour}ts` : flavour ? `.${flavour}js` : '',
    );
  if (!path.startsWith('.')) path = `./${path}`;
  return path;
}

function relativeSpecifiersOf(file: SourceFile): string[] {
  return [...file.getImportDeclarations(), ...file.getExportDeclarations()]
    .map(declaration => declaration.getModuleSpecifierValue())
    .filter(
      (specifier): specifier is string =>
        specifier !== undefined && (specifier.startsWith('./') || specifier.startsWith('../')),
    );
}

/** The style of one relative specifier; undefined for ones that tell nothing (`./styles.css`, `./data.json`). */
function styleOfSpecifier(specifier: string): ImportExtensionStyle | undefined {
  const extension = /\.([a-z]+)$/i.exec(specifier.slice(specifier.lastIndexOf('/') + 1))?.[1]?.toLowerCase();
  if (extension === undefined) return '';
  if (['js', 'mjs', 'cjs', 'jsx'].includes(extension)) return '.js';
  if (['ts', 'mts', 'cts', 'tsx'].includes(extension)) return '.ts';
  // `./user.entity`, `./user.model`: a dotted file name without an extension.
  return ['css', 'json', 'html', 'svg', 'txt', 'node', 'wasm'].includes(extension) ? undefined : '';
}

function styleOfCompilerOptions(project: Project): ImportExtensionStyle {
  const options = project.getCompilerOptions();
  if (options.allowImportingTsExtensions || options.rewriteRelativeImportExtensions) return '.ts';
  const resolution = options.moduleResolution;
  if (resolution === ModuleResolutionKind.Node16 || resolution === ModuleResolutionKind.NodeNext) return '.js';
  if (
    resolution === undefined &&
    (options.module === ModuleKind.Node16 ||
      options.module === ModuleKind.NodeNext ||
      options.module === ModuleKind.Node18 ||
      options.module === ModuleKind.Node20)
  )
    return '.js';
  return '';
}
