import { Node, SyntaxKind, type SourceFile, type Statement } from 'ts-morph';
import type { UserEntity } from './find-files.ts';
import { ensureNamedImports, relativeSpecifier, type NamedImport } from './imports.ts';
import { stepAt, type NextStep } from './next-steps.ts';
import type { PassportSetup } from './passport.ts';
import { defaultSignInPath, defaultSignOutPath, type SignInRoute } from './sign-in-route.ts';

/** What the installer found out about the app's sign-in before patching it. */
export interface SignInSetup {
  passport?: PassportSetup;
  route?: SignInRoute;
  /** The app's own sign-out route, when it has one the installer recognised. */
  signOut?: SignInRoute;
}

/**
 * Mounts the loader and the routes right after koa-session and MikroORM's RequestContext — and, in an app that
 * signs in with koa-passport, after `passport.session()`, with `identity: koaPassportIdentity(passport)`. The
 * options get `signInPath` when the app's sign-in route is not the library's default.
 */
export function patchApp(app: SourceFile, user: UserEntity, signIn: SignInSetup, nextSteps: NextStep[]): void {
  if (app.getText().includes('loadMultiAccount(')) return;
  const creation = app
    .getDescendantsOfKind(SyntaxKind.NewExpression)
    .find(expression => expression.getExpression().getText() === 'Koa')!;
  const variable = creation.getFirstAncestorByKind(SyntaxKind.VariableDeclaration)?.getName() ?? 'app';
  const uses = app
    .getDescendantsOfKind(SyntaxKind.ExpressionStatement)
    .filter(statement => statement.getText().startsWith(`${variable}.use(`));
  const sessionName = defaultImportOf(app, 'koa-session') ?? 'session';
  // `app.use(session(app))`, not `app.use(passport.session())`.
  const session = uses.find(statement =>
    statement
      .getDescendantsOfKind(SyntaxKind.CallExpression)
      .some(call => call.getExpression().getText() === sessionName),
  );
  const requestContext = uses.find(statement => statement.getText().includes('RequestContext'));
  const { passport } = signIn;
  const passportSession = passport?.session?.getSourceFile() === app ? passport.session : undefined;
  const anchor: Statement | undefined =
    [session, requestContext, passportSession].filter(Boolean).sort((a, b) => b!.getStart() - a!.getStart())[0] ??
    creation.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  if (!anchor) {
    nextSteps.push(
      stepAt(
        creation,
        'Could not find where the Koa app is set up: add loadMultiAccount and multiAccountRoutes by hand.',
      ),
    );
    return;
  }
  if (passport && !passportSession) {
    const identity = `identity: koaPassportIdentity(${passport.name ?? 'passport'})`;
    const wiring =
      `\`const multiAccount = { userEntity: ${user.name}, ${identity} }\`, ` +
      `\`${variable}.use(loadMultiAccount(multiAccount))\` and the routes (\`multiAccountRoutes(multiAccount)\`)`;
    nextSteps.push(
      passport.session
        ? stepAt(
            passport.session,
            `koa-passport's middleware is mounted here, not in ${app.getBaseName()}: ` +
              `add ${wiring} right after this line.`,
          )
        : stepAt(
            anchor,
            'This app signs in with koa-passport but mounts no `passport.session()`: ' +
              'mount `passport.initialize()` and `passport.session()` after koa-session, ' +
              `then ${wiring} right after them.`,
          ),
    );
    return;
  }
  if (!session) {
    nextSteps.push(
      stepAt(anchor, 'mikro-multi-account needs koa-session: mount app.use(session(app)) before its middleware.'),
    );
  }
  if (!requestContext) {
    nextSteps.push(
      stepAt(
        anchor,
        "Add MikroORM's RequestContext middleware before loadMultiAccount, or pass `em` in the multi-account options.",
      ),
    );
  }
  if (passport && !passport.initialize) {
    nextSteps.push(
      stepAt(
        anchor,
        `Mount \`${passport.name}.initialize()\` before \`${passport.name}.session()\`: ` +
          'the koa-passport identity needs both before loadMultiAccount.',
      ),
    );
  }
  const container = anchor.getParent();
  if (!Node.isSourceFile(container) && !Node.isBlock(container)) {
    nextSteps.push(stepAt(anchor, `Add loadMultiAccount and multiAccountRoutes right after this line.`));
    return;
  }

  const quote = app.getProject().manipulationSettings.getQuoteKind() as string;
  const options = [`userEntity: ${user.name}`];
  const imports: (string | NamedImport)[] = ['loadMultiAccount', 'multiAccountRoutes'];
  if (passport) options.push(`identity: koaPassportIdentity(${passport.name})`);
  const signInPath = signInPathOption(signIn.route, quote);
  if (signInPath) {
    options.push(signInPath);
    // The arrow function's parameters take their types from the options type.
    imports.push({ name: 'MultiAccountKoaOptions', isTypeOnly: true });
  }
  const signOut = signIn.signOut;
  if (!passport && signOut && signOut.path !== defaultSignOutPath && isPlainPath(signOut.path)) {
    options.push(`signOutPath: () => ${quote}${signOut.path.replace(/[\\'"]/g, '\\$&')}${quote}`);
  }
  const declaration = `const multiAccount${signInPath ? `: MultiAccountKoaOptions<${user.name}>` : ''} =`;
  const oneLine = `${declaration} { ${options.join(', ')} };`;
  const indent = app.getProject().manipulationSettings.getIndentationText() as string;
  container.insertStatements(anchor.getChildIndex() + 1, [
    oneLine.length <= 100 ? oneLine : `${declaration} {\n${options.map(option => `${indent}${option},\n`).join('')}};`,
    'const multiAccountRouter = multiAccountRoutes(multiAccount);',
    `${variable}.use(loadMultiAccount(multiAccount));`,
    `${variable}.use(multiAccountRouter.routes()).use(multiAccountRouter.allowedMethods());`,
  ]);
  ensureNamedImports(app, 'mikro-multi-account/koa', imports);
  if (passport) ensureNamedImports(app, 'mikro-multi-account/koa-passport', ['koaPassportIdentity']);
  if (app !== user.file) ensureNamedImports(app, relativeSpecifier(app, user.file.getFilePath()), [user.name]);
}

/**
 * `signInPath: (_ctx, _primaryUserId, returnTo) => …` for a sign-in route other than the library's default, or
 * undefined when the default fits or the route's path has parameters the installer cannot fill in.
 */
export function signInPathOption(route: SignInRoute | undefined, quote: string): string | undefined {
  if (!route || route.path === defaultSignInPath || !isPlainPath(route.path)) return undefined;
  const separator = route.path.includes('?') ? '&' : '?';
  const literal = `${quote}${route.path.replace(/[\\'"]/g, '\\$&')}${quote}`;
  const withReturnTo = `\`${route.path}${separator}return_to=\${encodeURIComponent(returnTo)}\``;
  return `signInPath: (_ctx, _primaryUserId, returnTo) => returnTo ? ${withReturnTo} : ${literal}`;
}

/** A path the installer can write as it is: no route parameters, wildcards or characters to escape. */
export function isPlainPath(path: string): boolean {
  return /^\/[\w\-./~?=&%]*$/.test(path);
}

function defaultImportOf(file: SourceFile, moduleSpecifier: string): string | undefined {
  const declaration = file.getImportDeclaration(candidate => candidate.getModuleSpecifierValue() === moduleSpecifier);
  return declaration?.getDefaultImport()?.getText() ?? declaration?.getNamespaceImport()?.getText();
}
