import { Node, SyntaxKind, type Project, type SourceFile } from 'ts-morph';
import { ensureNamedImports } from './imports.ts';
import type { NextStep } from './installer.ts';

const sessionUserAssignment = /^ctx\.session[!?]?\.\w+$/;

/**
 * After the line where sign-in succeeds — recognised as `ctx.session.<key> = <user>.id` — inserts
 * `putUserId(ctx, <user>.id)`. When no such line exists, says where to add it.
 */
export function patchSignIn(project: Project, app: SourceFile, nextSteps: NextStep[]): void {
  let found = false;
  for (const file of project.getSourceFiles()) {
    const assignments = file
      .getDescendantsOfKind(SyntaxKind.BinaryExpression)
      .filter(expression => expression.getOperatorToken().getKind() === SyntaxKind.EqualsToken)
      .filter(expression => sessionUserAssignment.test(expression.getLeft().getText()) && /\.id$/.test(expression.getRight().getText()));
    for (const assignment of assignments) {
      found = true;
      const statement = assignment.getFirstAncestorByKind(SyntaxKind.ExpressionStatement);
      const container = statement?.getParent();
      if (!statement || !(Node.isBlock(container) || Node.isSourceFile(container))) continue;
      if (statement.getNextSibling()?.getText().startsWith('putUserId(')) continue;
      container.insertStatements(statement.getChildIndex() + 1, `putUserId(ctx, ${assignment.getRight().getText()});`);
      ensureNamedImports(file, 'mikro-multi-account/koa', ['putUserId']);
    }
  }
  if (!found) {
    const route = app.getDescendantsOfKind(SyntaxKind.StringLiteral).find(literal => /sign-?in|log-?in/i.test(literal.getLiteralText()));
    nextSteps.push({
      message: 'Call putUserId(ctx, user.id) in your sign-in handler, right after the credentials check succeeds.',
      file: (route ?? app).getSourceFile().getFilePath(),
      line: route?.getStartLineNumber(),
    });
  }
  nextSteps.push({
    message: 'Your sign-in page must send the browser back to `return_to` (use safeLocalPath), and sign-out should call `await signOut(ctx)`.',
  });
}
