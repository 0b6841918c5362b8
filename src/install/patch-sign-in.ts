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
    flagSessionKeyUses(project, signInKeys(project), nextSteps);
    const signOutStep =
      'Sign-out should call `await signOut(ctx)`: it ends the whole session, every account of the browser and ' +
      'half-set-up links included.';
    if (!signIn.signOut) nextSteps.push({ message: `${signOutStep} (no sign-out route was found)` });
    else if (!signIn.signOut.node.getText().includes('signOut(')) {
      nextSteps.push(stepAt(signIn.signOut.node, `Your sign-out is ${signIn.signOut.path}. ${signOutStep}`));
    }
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

/** The session keys the app signs in with: `ctx.session.<key> = <user>.id`. */
function signInKeys(project: Project): Set<string> {
  const keys = new Set<string>();
  for (const file of project.getSourceFiles()) {
    if (file.isInNodeModules() || file.isDeclarationFile()) continue;
    for (const expression of file.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
      const left = expression.getLeft().getText();
      if (expression.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) continue;
      if (sessionUserAssignment.test(left) && /\.id$/.test(expression.getRight().getText())) {
        keys.add(left.replace(/^ctx\.session[!?]?\./, ''));
      }
    }
  }
  return keys;
}

/**
 * Every read and write of the app's own sign-in key, at its file and line: after a switch the key still names the
 * account signed in first, so a read must become `ctx.state.currentUser` (or `getUserId(ctx)`), and the writes go
 * once nothing reads the key.
 */
function flagSessionKeyUses(project: Project, keys: Set<string>, nextSteps: NextStep[]): void {
  if (keys.size === 0) return;
  for (const file of project.getSourceFiles()) {
    if (file.isInNodeModules() || file.isDeclarationFile()) continue;
    for (const access of file.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)) {
      const text = access.getText().replace(/[!?]/g, '');
      const key = text.replace(/^ctx\.session\./, '');
      if (text === key || !keys.has(key)) continue;
      const parent = access.getParent();
      const written =
        Node.isBinaryExpression(parent) &&
        parent.getLeft() === access &&
        parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken;
      const deleted = Node.isDeleteExpression(parent);
      nextSteps.push(
        stepAt(
          access,
          written || deleted
            ? `\`ctx.session.${key}\` is written here: putUserId signs in and signOut(ctx) signs out now; remove ` +
                'this write once nothing reads the key.'
            : `\`ctx.session.${key}\` is read here: after a switch it still names the account signed in first. ` +
                'Read `ctx.state.currentUser` (or `getUserId(ctx)`) instead.',
        ),
      );
    }
  }
}
