import type * as TS from 'typescript';

export type DecoratorKind = 'multiAccount' | 'linkedAccountResource';

export interface DecoratedClass {
  kind: DecoratorKind;
  declaration: TS.ClassDeclaration;
  name: string;
  /** The options when written as an object literal; anything else is left to the startup verifiers. */
  options?: TS.ObjectLiteralExpression;
}

// Our decorators, recognised by where they are declared: in this repository or in the installed package.
const decoratorSources: Record<DecoratorKind, { name: string; file: RegExp }> = {
  multiAccount: { name: 'MultiAccount', file: /[\\/]dsl[\\/]multi-account\.(d\.)?[cm]?[tj]s$/ },
  linkedAccountResource: {
    name: 'LinkedAccountResource',
    file: /[\\/]dsl[\\/]linked-account-resource\.(d\.)?[cm]?[tj]s$/,
  },
};

/** Every class in the program's own files that carries @MultiAccount or @LinkedAccountResource. */
export function findDecoratedClasses(ts: typeof TS, program: TS.Program): Map<TS.ClassDeclaration, DecoratedClass[]> {
  const checker = program.getTypeChecker();
  const found = new Map<TS.ClassDeclaration, DecoratedClass[]>();
  const visit = (node: TS.Node): void => {
    if (ts.isClassDeclaration(node) && node.name) {
      for (const decorator of ts.getDecorators(node) ?? []) {
        const kind = decoratorKind(ts, checker, decorator);
        if (!kind) continue;
        const argument = (decorator.expression as TS.CallExpression).arguments[0];
        const options = argument && ts.isObjectLiteralExpression(argument) ? argument : undefined;
        found.set(node, [...(found.get(node) ?? []), { kind, declaration: node, name: node.name.text, options }]);
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const file of program.getSourceFiles()) {
    if (!file.isDeclarationFile) visit(file);
  }
  return found;
}

function decoratorKind(ts: typeof TS, checker: TS.TypeChecker, decorator: TS.Decorator): DecoratorKind | undefined {
  if (!ts.isCallExpression(decorator.expression)) return undefined;
  let symbol = checker.getSymbolAtLocation(decorator.expression.expression);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
  if (!symbol || !file) return undefined;
  return (Object.keys(decoratorSources) as DecoratorKind[]).find(
    kind => decoratorSources[kind].name === symbol.name && decoratorSources[kind].file.test(file),
  );
}

/** The option's value node, when the options literal names it as `name: value`. */
export function optionValue(
  ts: typeof TS,
  options: TS.ObjectLiteralExpression | undefined,
  name: string,
): TS.Expression | undefined {
  const property = options?.properties.find(
    (candidate): candidate is TS.PropertyAssignment =>
      ts.isPropertyAssignment(candidate) &&
      (ts.isIdentifier(candidate.name) || ts.isStringLiteral(candidate.name)) &&
      candidate.name.text === name,
  );
  return property?.initializer;
}

/** `() => Target` (or `() => { return Target; }`): the identifier naming the target class. */
export function thunkTarget(ts: typeof TS, value: TS.Expression | undefined): TS.Identifier | undefined {
  if (!value || !(ts.isArrowFunction(value) || ts.isFunctionExpression(value))) return undefined;
  let body: TS.Node = value.body;
  if (ts.isBlock(body)) {
    const statement = body.statements.length === 1 ? body.statements[0] : undefined;
    body = statement && ts.isReturnStatement(statement) && statement.expression ? statement.expression : body;
  }
  while (ts.isParenthesizedExpression(body as TS.Node)) body = (body as TS.ParenthesizedExpression).expression;
  return ts.isIdentifier(body) ? body : undefined;
}

/** The class declaration an identifier refers to, across files and imports. */
export function classOf(
  ts: typeof TS,
  checker: TS.TypeChecker,
  identifier: TS.Identifier,
): TS.ClassDeclaration | undefined {
  let symbol = checker.getSymbolAtLocation(identifier);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return symbol?.declarations?.find((declaration): declaration is TS.ClassDeclaration =>
    ts.isClassDeclaration(declaration),
  );
}
