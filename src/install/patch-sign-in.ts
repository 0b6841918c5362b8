import { Node, SyntaxKind, type Project, type SourceFile } from 'ts-morph';
import { ensureNamedImports } from './imports.ts';
import { stepAt, type NextStep } from './next-steps.ts';
import { isPlainPath, type SignInSetup } from './patch-app.ts';
import { defaultSignInPath } from './sign-in-route.ts';

const sessionUserAssignment = /^ctx\.session[!?]?\.\w+$/;

/**
 * Wires the app's sign-in. With koa-passport nothing is inserted: `ctx.login()` and `ctx.logout()` go through
 * the identity adapter. Otherwise, before the line where sign-in succeeds — recognised as
 * `ctx.session.<key> = <user>.id` — inserts `await putUserId(ctx, <user>.id)`: it starts a fresh session, so
 * the app's own keys go in after it; when no such line exists, says where to add it. Either way it says where
 * the sign-in route is and what it must do for "add account".
 */
export function patchSignIn(project: Project, app: SourceFile, signIn: SignInSetup, nextSteps: NextStep[]): void {
  const { passport, route } = signIn;
  if (passport) {
    nextSteps.push(
      stepAt(
        passport.evidence,
        "Sign-in and sign-out stay koa-passport's: `ctx.login(user)` starts the browser session " +
          '(or adds the account being added) and `ctx.logout()` ends it; no putUserId or signOut needed.',
      ),
    );
  } else {
    let found = false;
    for (const file of project.getSourceFiles()) {
      const assignments = file
        .getDescendantsOfKind(SyntaxKind.BinaryExpression)
        .filter(expression => expression.getOperatorToken().getKind() === SyntaxKind.EqualsToken)
        .filter(
          expression =>
            sessionUserAssignment.test(expression.getLeft().getText()) && /\.id$/.test(expression.getRight().getText()),
        );
      for (const assignment of assignments) {
        found = true;
        const statement = assignment.getFirstAncestorByKind(SyntaxKind.ExpressionStatement);
        const container = statement?.getParent();
        if (!statement || !(Node.isBlock(container) || Node.isSourceFile(container))) continue;
        if (statement.getPreviousSibling()?.getText().startsWith('await putUserId(')) continue;
        container.insertStatements(
          statement.getChildIndex(),
          `await putUserId(ctx, ${assignment.getRight().getText()});`,
        );
        ensureNamedImports(file, 'mikro-multi-account/koa', ['putUserId']);
      }
    }
    if (!found) {
      const message =
        'Call `await putUserId(ctx, user.id)` in your sign-in handler once the credentials check out, ' +
        'before writing anything else into the session.';
      nextSteps.push(route ? stepAt(route.node, message) : { message, file: app.getFilePath() });
    }
    nextSteps.push({
      message: 'Sign-out should call `await signOut(ctx)`: it ends the whole session, half-set-up links included.',
    });
  }

  const comeBack =
    'send the browser back to `return_to` once signed in (use safeLocalPath), ' +
    'and let such visits through a login guard (`addAccountReturnPath(ctx)`).';
  if (!route) {
    nextSteps.push({
      message:
        `Could not find your sign-in route: if it is not ${defaultSignInPath}, ` +
        'set `signInPath` in the multi-account options. ' +
        `While an account is being added, the page gets \`?return_to=<link route>\`: ${comeBack}`,
    });
    return;
  }
  const what =
    `Your sign-in ${route.method === 'POST' ? 'route (only its POST was found)' : 'page'} ` +
    `is ${route.method ?? 'GET'} ${route.path}`;
  const where =
    route.path === defaultSignInPath
      ? "the library's default signInPath"
      : isPlainPath(route.path)
        ? '`signInPath` in the multi-account options points there' +
          (route.method === 'POST' ? ' (change it if your sign-in page is elsewhere)' : '')
        : 'its path has parameters: set `signInPath` in the multi-account options yourself';
  nextSteps.push(
    stepAt(
      route.node,
      `${what}: ${where}. While an account is being added, it gets \`?return_to=<link route>\`: ${comeBack}`,
    ),
  );
}
