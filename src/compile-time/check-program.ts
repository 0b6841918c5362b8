import type * as TS from 'typescript';
import { linkedAccountOptionDeclarations } from '../dsl/linked-account-options.ts';
import { classOf, findDecoratedClasses, optionValue, thunkTarget, type DecoratedClass } from './decorated-classes.ts';
import { compileTimeDiagnostics, type CompileTimeDiagnostic } from '../errors/diagnostic-codes.ts';

type Report = <D extends CompileTimeDiagnostic>(
  node: TS.Node,
  diagnostic: D,
  ...args: Parameters<(typeof compileTimeDiagnostics)[D]['message']>
) => void;

/**
 * The multi-account configuration mistakes visible in the source: the same checks the startup verifiers
 * make, reported at the offending literal. Options whose values are not literals are left alone.
 */
export function checkMultiAccountProgram(ts: typeof TS, program: TS.Program): TS.Diagnostic[] {
  const checker = program.getTypeChecker();
  const decorated = findDecoratedClasses(ts, program);
  const diagnostics: TS.Diagnostic[] = [];
  const report: Report = (node, diagnostic, ...args) => {
    const { code, message } = compileTimeDiagnostics[diagnostic];
    diagnostics.push({
      category: ts.DiagnosticCategory.Error,
      code,
      file: node.getSourceFile(),
      start: node.getStart(),
      length: node.getWidth(),
      messageText: (message as (...a: typeof args) => string)(...args),
    });
  };
  const context: CheckContext = { ts, checker, decorated, report };
  for (const classes of decorated.values()) {
    for (const entity of classes) {
      if (entity.kind === 'multiAccount') checkUserEntity(context, entity);
      else checkLinkEntity(context, entity);
    }
  }
  return diagnostics;
}

interface CheckContext {
  ts: typeof TS;
  checker: TS.TypeChecker;
  decorated: Map<TS.ClassDeclaration, DecoratedClass[]>;
  report: Report;
}

function checkUserEntity(context: CheckContext, entity: DecoratedClass): void {
  const { ts, checker, decorated, report } = context;
  const options = entity.options;
  const instance = instanceTypeOf(context, entity.declaration);

  const displayFields = optionValue(ts, options, 'displayFields');
  if (displayFields && ts.isArrayLiteralExpression(displayFields)) {
    for (const element of displayFields.elements) {
      if (ts.isStringLiteralLike(element) && !checker.getPropertyOfType(instance, element.text)) {
        report(element, 'UNKNOWN_DISPLAY_FIELD', element.text, entity.name);
      }
    }
  }

  const activeCheck = optionValue(ts, options, 'activeCheck');
  if (activeCheck && ts.isObjectLiteralExpression(activeCheck)) {
    const field = optionValue(ts, activeCheck, 'field');
    const value = optionValue(ts, activeCheck, 'value');
    if (field && ts.isStringLiteralLike(field)) {
      const member = checker.getPropertyOfType(instance, field.text);
      if (!member) report(field, 'UNKNOWN_ACTIVE_CHECK_FIELD', field.text, entity.name);
      else if (value && isLiteral(ts, value)) {
        const memberType = checker.getTypeOfSymbolAtLocation(member, entity.declaration);
        if (!checker.isTypeAssignableTo(checker.getTypeAtLocation(value), memberType)) {
          report(
            value,
            'ACTIVE_CHECK_VALUE_MISMATCH',
            value.getText(),
            entity.name,
            field.text,
            checker.typeToString(memberType),
          );
        }
      }
    }
  }

  const max = optionValue(ts, options, 'maxLinkedAccounts');
  if (max && isNumericLiteral(ts, max)) {
    const number = Number(max.getText().replace(/_/g, ''));
    if (!Number.isInteger(number) || number <= 0) report(max, 'MAX_NOT_POSITIVE_INTEGER', max.getText());
  }

  const linkTarget = thunkTarget(ts, optionValue(ts, options, 'linkedAccountResource'));
  const linkClass = linkTarget && classOf(ts, checker, linkTarget);
  if (linkTarget && linkClass) {
    const link = decorated.get(linkClass)?.find(candidate => candidate.kind === 'linkedAccountResource');
    if (!link) report(linkTarget, 'NOT_A_LINK_ENTITY', linkTarget.text, entity.name);
    else {
      const userTarget = thunkTarget(ts, optionValue(ts, link.options, 'userResource'));
      const pointsTo = userTarget && classOf(ts, checker, userTarget);
      if (userTarget && pointsTo && pointsTo !== entity.declaration) {
        report(linkTarget, 'REFERENCES_DO_NOT_MATCH', link.name, userTarget.text, entity.name);
      }
    }
  }

  const calculation = optionValue(ts, options, 'linkedAccountsCalculationName');
  if (calculation && ts.isStringLiteralLike(calculation)) {
    const member = checker.getPropertyOfType(instance, calculation.text);
    if (member && !isArrayLike(context, checker.getTypeOfSymbolAtLocation(member, entity.declaration))) {
      report(
        calculation,
        'NAME_COLLISION',
        'linkedAccountsCalculationName',
        calculation.text,
        entity.name,
        'an array of links',
      );
    }
  }
}

function checkLinkEntity(context: CheckContext, entity: DecoratedClass): void {
  const { ts, checker, decorated, report } = context;
  const options = entity.options;
  const userTarget = thunkTarget(ts, optionValue(ts, options, 'userResource'));
  const userClass = userTarget && classOf(ts, checker, userTarget);
  if (userTarget && userClass && !decorated.get(userClass)?.some(candidate => candidate.kind === 'multiAccount')) {
    report(userTarget, 'NOT_A_USER_ENTITY', userTarget.text);
  }

  const instance = instanceTypeOf(context, entity.declaration);
  const userInstance = userClass && instanceTypeOf(context, userClass);
  const needs: Record<string, { description: string; accepts?: TS.Type }> = {
    sessionTokenAttributeName: { description: 'a uuid string', accepts: checker.getStringType() },
    statusAttributeName: { description: "'active' or 'inactive'", accepts: checker.getStringLiteralType('active') },
    primaryUserRelationshipName: { description: `the ${userTarget?.text ?? 'user'} entity`, accepts: userInstance },
    linkedUserRelationshipName: { description: `the ${userTarget?.text ?? 'user'} entity`, accepts: userInstance },
  };
  for (const [option, { description, accepts }] of Object.entries(needs)) {
    const name = optionValue(ts, options, option);
    if (!name || !ts.isStringLiteralLike(name) || !accepts || !(option in linkedAccountOptionDeclarations)) continue;
    const member = checker.getPropertyOfType(instance, name.text);
    if (member && !checker.isTypeAssignableTo(accepts, checker.getTypeOfSymbolAtLocation(member, entity.declaration))) {
      report(name, 'NAME_COLLISION', option, name.text, entity.name, description);
    }
  }
}

function instanceTypeOf({ checker }: CheckContext, declaration: TS.ClassDeclaration): TS.Type {
  return checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(declaration.name!)!);
}

function isNumericLiteral(ts: typeof TS, node: TS.Expression): boolean {
  return ts.isNumericLiteral(node) || (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand));
}

function isLiteral(ts: typeof TS, node: TS.Expression): boolean {
  return (
    ts.isStringLiteralLike(node) ||
    isNumericLiteral(ts, node) ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    node.kind === ts.SyntaxKind.NullKeyword
  );
}

function isArrayLike({ checker }: CheckContext, type: TS.Type): boolean {
  const defined = checker.getNonNullableType(type);
  return checker.isArrayType(defined) || checker.isTupleType(defined);
}
