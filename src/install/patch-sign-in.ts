import { Node, SyntaxKind, type Project, type SourceFile } from 'ts-morph';
import { ensureNamedImports } from './imports.ts';
import type { NextStep } from './installer.ts';

const sessionUserAssignment = /^ctx\.session[!?]?\.\w+$/;

/**
 * Before the line where sign-in succeeds — recognised as `ctx.session.<key> = <user>.id` — inserts
 * `await putUserId(ctx, <user>.id)`: it starts a fresh session, so the app's own keys go in after it. When no
 * such line exists, says where to add it.
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
      if (statement.getPreviousSibling()?.getText().startsWith('await putUserId(')) continue;
      container.insertStatements(statement.getChildIndex(), `await putUserId(ctx, ${assignment.getRight().getText()});`);
      ensureNamedImports(file, 'mikro-multi-account/koa', ['putUserId']);
    }
  }
  if (!found) {
    const route = app.getDescendantsOfKind(SyntaxKind.StringLiteral).find(literal => /sign-?in|log-?in/i.test(literal.getLiteralText()));
    nextSteps.push({
      message: 'Call `await putUserId(ctx, user.id)` in your sign-in handler once the credentials check out, before writing anything else into the session.',
      file: (route ?? app).getSourceFile().getFilePath(),
      line: route?.getStartLineNumber(),
    });
  }
  nextSteps.push({
    message: 'Your sign-in page must send the browser back to `return_to` (use safeLocalPath), and sign-out should call `await signOut(ctx)`.',
  });
}
