import { Node, SyntaxKind, type ExpressionStatement, type Project, type SourceFile } from 'ts-morph';

/** How an app signs in with koa-passport, as far as the installer needs to know. */
export interface PassportSetup {
  /** The first sign of koa-passport: its import, a `ctx.login(...)`/`ctx.logout()` call or a middleware use. */
  evidence: Node;
  /** The passport instance as the file mounting its middleware names it (`passport`, `koaPassport`, `auth`…). */
  name?: string;
  /** `app.use(passport.initialize())`, in whatever file does it. */
  initialize?: ExpressionStatement;
  /** `app.use(passport.session())`, in whatever file does it. */
  session?: ExpressionStatement;
}

const passportCalls = new Set(['login', 'logIn', 'logout', 'logOut']);

/**
 * Whether the app signs in with koa-passport — an import of 'koa-passport', `ctx.login(...)`/`ctx.logIn(...)`/
 * `ctx.logout()` calls, `passport.initialize()`/`passport.session()` mounted with `.use(...)` — and where its
 * middleware is mounted (the app file's mounts first).
 */
export function detectPassport(project: Project, app: SourceFile | undefined): PassportSetup | undefined {
  const files = project.getSourceFiles().filter(file => !file.isInNodeModules() && !file.isDeclarationFile());
  const ordered = app ? [app, ...files.filter(file => file !== app)] : files;
  const imports = files.flatMap(file =>
    file.getImportDeclarations().filter(declaration => declaration.getModuleSpecifierValue() === 'koa-passport'),
  );
  const calls = files.flatMap(file =>
    file.getDescendantsOfKind(SyntaxKind.CallExpression).filter(call => {
      const callee = call.getExpression();
      return (
        Node.isPropertyAccessExpression(callee) &&
        passportCalls.has(callee.getName()) &&
        /^(ctx|context)$/.test(callee.getExpression().getText().replace(/[!?]/g, ''))
      );
    }),
  );
  const mounts = ordered.flatMap(middlewareMounts);
  // A `.session()` mounted next to an `.initialize()` of the same object, or on something named like passport.
  const passportMounts = mounts.filter(
    mount =>
      /passport/i.test(mount.name) || mounts.some(other => other.name === mount.name && other.kind !== mount.kind),
  );
  const evidence = imports[0] ?? calls[0] ?? passportMounts[0]?.statement;
  if (!evidence) return undefined;
  const session = passportMounts.find(mount => mount.kind === 'session');
  const initialize = passportMounts.find(
    mount => mount.kind === 'initialize' && (!session || mount.name === session.name),
  );
  return {
    evidence,
    name: session?.name ?? initialize?.name,
    initialize: initialize?.statement,
    session: session?.statement,
  };
}

interface Mount {
  kind: 'initialize' | 'session';
  /** The object the middleware comes from, as written: `passport` in `app.use(passport.session())`. */
  name: string;
  statement: ExpressionStatement;
}

/** `<x>.use(<passport>.initialize())` and `<x>.use(<passport>.session())` statements of `file`. */
function middlewareMounts(file: SourceFile): Mount[] {
  return file.getDescendantsOfKind(SyntaxKind.CallExpression).flatMap(call => {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) return [];
    const kind = callee.getName();
    if (kind !== 'initialize' && kind !== 'session') return [];
    const use = call.getParentIfKind(SyntaxKind.CallExpression);
    const useCallee = use?.getExpression();
    if (
      !use ||
      !Node.isPropertyAccessExpression(useCallee) ||
      useCallee.getName() !== 'use' ||
      !use.getArguments().includes(call)
    )
      return [];
    const statement = use.getFirstAncestorByKind(SyntaxKind.ExpressionStatement);
    return statement ? [{ kind, name: callee.getExpression().getText(), statement }] : [];
  });
}
