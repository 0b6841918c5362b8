import { Node, SyntaxKind, type SourceFile, type Statement } from 'ts-morph';
import type { UserEntity } from './find-files.ts';
import { ensureNamedImports, relativeSpecifier } from './imports.ts';
import type { NextStep } from './installer.ts';

/** Mounts the loader and the routes right after koa-session (and MikroORM's RequestContext). */
export function patchApp(app: SourceFile, user: UserEntity, nextSteps: NextStep[]): void {
  if (app.getText().includes('loadMultiAccount(')) return;
  const creation = app.getDescendantsOfKind(SyntaxKind.NewExpression).find(expression => expression.getExpression().getText() === 'Koa')!;
  const variable = creation.getFirstAncestorByKind(SyntaxKind.VariableDeclaration)?.getName() ?? 'app';
  const uses = app.getDescendantsOfKind(SyntaxKind.ExpressionStatement).filter(statement => statement.getText().startsWith(`${variable}.use(`));
  const session = uses.find(statement => /\bsession\(/.test(statement.getText()));
  const requestContext = uses.find(statement => statement.getText().includes('RequestContext'));
  const anchor: Statement | undefined = [session, requestContext].filter(Boolean).sort((a, b) => b!.getStart() - a!.getStart())[0] ??
    creation.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  if (!anchor) {
    nextSteps.push({ message: 'Could not find where the Koa app is set up: add loadMultiAccount and multiAccountRoutes by hand.', file: app.getFilePath(), line: creation.getStartLineNumber() });
    return;
  }
  if (!session) {
    nextSteps.push({ message: 'mikro-multi-account needs koa-session: mount app.use(session(app)) before its middleware.', file: app.getFilePath(), line: anchor.getStartLineNumber() });
  }
  if (!requestContext) {
    nextSteps.push({ message: 'Add MikroORM\'s RequestContext middleware before loadMultiAccount, or pass `em` in the multi-account options.', file: app.getFilePath(), line: anchor.getStartLineNumber() });
  }
  const container = anchor.getParent();
  if (!Node.isSourceFile(container) && !Node.isBlock(container)) return;
  container.insertStatements(anchor.getChildIndex() + 1, [
    `const multiAccount = { userEntity: ${user.name} };`,
    'const multiAccountRouter = multiAccountRoutes(multiAccount);',
    `${variable}.use(loadMultiAccount(multiAccount));`,
    `${variable}.use(multiAccountRouter.routes()).use(multiAccountRouter.allowedMethods());`,
  ]);
  ensureNamedImports(app, 'mikro-multi-account/koa', ['loadMultiAccount', 'multiAccountRoutes']);
  if (app !== user.file) ensureNamedImports(app, relativeSpecifier(app, user.file.getFilePath()), [user.name]);
}
