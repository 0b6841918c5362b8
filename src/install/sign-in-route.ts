import { Node, SyntaxKind, type Project, type SourceFile } from 'ts-morph';

/** The library's own defaults for `signInPath` and `signOutPath`. */
export const defaultSignInPath = '/sign-in';
export const defaultSignOutPath = '/sign-out';

export interface SignInRoute {
  /** The path the route answers, with its router's `prefix`. */
  path: string;
  /** `GET` (the page), `POST` (the form's target) or undefined when the route answers any method. */
  method: 'GET' | 'POST' | undefined;
  /** The node the route is registered by: its `router.get(...)` call or `ctx.path === ...` comparison. */
  node: Node;
}

/** Last path segments that name a sign-in route: `/login`, `/sign-in`, `/auth/signin`, `/users/sign_in`, `/log-in`. */
const signInSegment = /^(sign|log)[-_]?in$/i;
const routeMethods = new Map<string, SignInRoute['method']>([
  ['get', 'GET'],
  ['post', 'POST'],
  ['all', undefined],
]);
const requestPaths = new Set(['ctx.path', 'ctx.url', 'ctx.request.path', 'ctx.request.url', 'ctx.originalUrl']);

/** Last path segments that name a sign-out route: `/logout`, `/sign-out`, `/auth/signout`, `/log_out`. */
const signOutSegment = /^(sign|log)[-_]?out$/i;

/**
 * The app's sign-in route: a route registration (`router.get('/login', …)`, `router.post('/sign-in', …)`, with
 * the router's `prefix`) or a `ctx.path === '/login'` comparison. The page (GET) wins over the form's target
 * (POST) and, between equals, the app file's routes win over other files'.
 */
export function findSignInRoute(project: Project, app: SourceFile | undefined): SignInRoute | undefined {
  return findRoute(project, app, signInSegment, ['GET', undefined, 'POST']);
}

/** The app's sign-out route, found the same way: the action (POST) first. */
export function findSignOutRoute(project: Project, app: SourceFile | undefined): SignInRoute | undefined {
  return findRoute(project, app, signOutSegment, ['POST', undefined, 'GET']);
}

function findRoute(
  project: Project,
  app: SourceFile | undefined,
  lastSegment: RegExp,
  methods: SignInRoute['method'][],
): SignInRoute | undefined {
  const files = project.getSourceFiles().filter(file => !file.isInNodeModules() && !file.isDeclarationFile());
  const named = (path: string) => {
    const segments = path.split('?')[0]!.split('/').filter(Boolean);
    return segments.length > 0 && lastSegment.test(segments[segments.length - 1]!);
  };
  const routes = files.flatMap(file => [...registrations(file, named), ...comparisons(file, named)]);
  const rank = (route: SignInRoute) => methods.indexOf(route.method) * 2 + (route.node.getSourceFile() === app ? 0 : 1);
  return routes.sort((a, b) => rank(a) - rank(b))[0];
}

/** `router.get('/login', …)`, `router.post('/sign-in', …)`, `router.all(…)`; `router.get('name', '/login', …)` too. */
function registrations(file: SourceFile, named: (path: string) => boolean): SignInRoute[] {
  return file.getDescendantsOfKind(SyntaxKind.CallExpression).flatMap(call => {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || !routeMethods.has(callee.getName())) return [];
    const path = call
      .getArguments()
      .slice(0, 2)
      .map(argument =>
        Node.isStringLiteral(argument) || Node.isNoSubstitutionTemplateLiteral(argument)
          ? argument.getLiteralValue()
          : undefined,
      )
      .find(value => value?.startsWith('/'));
    if (path === undefined || !named(path) || call.getArguments().length < 2) return [];
    return [
      {
        path: joinPaths(prefixOf(callee.getExpression()), path),
        method: routeMethods.get(callee.getName()),
        node: call,
      },
    ];
  });
}

/** `ctx.path === '/login'` (or `'/login' === ctx.path`), with the method from `ctx.method === 'POST'` beside it. */
function comparisons(file: SourceFile, named: (path: string) => boolean): SignInRoute[] {
  return file.getDescendantsOfKind(SyntaxKind.BinaryExpression).flatMap(comparison => {
    const operator = comparison.getOperatorToken().getKind();
    if (operator !== SyntaxKind.EqualsEqualsEqualsToken && operator !== SyntaxKind.EqualsEqualsToken) return [];
    const [left, right] = [comparison.getLeft(), comparison.getRight()];
    const literal = [left, right].find(
      side => Node.isStringLiteral(side) || Node.isNoSubstitutionTemplateLiteral(side),
    );
    const subject = literal === left ? right : left;
    if (!literal || !requestPaths.has(subject.getText().replace(/[!?]/g, ''))) return [];
    const path =
      Node.isStringLiteral(literal) || Node.isNoSubstitutionTemplateLiteral(literal) ? literal.getLiteralValue() : '';
    if (!named(path)) return [];
    return [{ path, method: methodBeside(comparison), node: comparison }];
  });
}

/** The method a `ctx.method === 'GET'` next to the path comparison (in the same `&&` chain) asks for. */
function methodBeside(comparison: Node): SignInRoute['method'] {
  let chain: Node = comparison;
  for (
    let parent = chain.getParent();
    Node.isBinaryExpression(parent) && parent.getOperatorToken().getKind() === SyntaxKind.AmpersandAmpersandToken;
    parent = chain.getParent()
  ) {
    chain = parent;
  }
  for (const test of [chain, ...chain.getDescendantsOfKind(SyntaxKind.BinaryExpression)]) {
    if (!Node.isBinaryExpression(test)) continue;
    const sides = [test.getLeft(), test.getRight()];
    if (
      !sides.some(
        side => side.getText().replace(/[!?]/g, '') === 'ctx.method' || side.getText() === 'ctx.request.method',
      )
    )
      continue;
    const method = sides
      .find(side => Node.isStringLiteral(side))
      ?.getText()
      .slice(1, -1)
      .toUpperCase();
    if (method === 'GET' || method === 'POST') return method;
  }
  return undefined;
}

/** The `prefix` of a `new Router({ prefix: '/auth' })` the route is registered on. */
function prefixOf(router: Node): string {
  if (!Node.isIdentifier(router)) return '';
  const declaration = router.getSymbol()?.getDeclarations().find(Node.isVariableDeclaration);
  const creation = declaration?.getInitializerIfKind(SyntaxKind.NewExpression);
  const options = creation?.getArguments()[0];
  if (!Node.isObjectLiteralExpression(options)) return '';
  const prefix = options.getProperty('prefix');
  const value = Node.isPropertyAssignment(prefix) ? prefix.getInitializer() : undefined;
  return value && (Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value))
    ? value.getLiteralValue()
    : '';
}

function joinPaths(prefix: string, path: string): string {
  return `${prefix.replace(/\/+$/, '')}${path}` || '/';
}
