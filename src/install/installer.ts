import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { IndentationText, Project, QuoteKind } from 'ts-morph';
import { importStyleOf } from './imports.ts';
import { InstallError } from './install-error.ts';
import { placeSteps, type NextStep } from './next-steps.ts';
import { pinMikroOrm } from './package-json.ts';
import { detectPassport } from './passport.ts';
import { patchApp, type SignInSetup } from './patch-app.ts';
import { patchConfig } from './patch-config.ts';
import { patchLinkEntity } from './patch-link-entity.ts';
import { patchSignIn } from './patch-sign-in.ts';
import { patchUserEntity } from './patch-user-entity.ts';
import { findSignInRoute, findSignOutRoute } from './sign-in-route.ts';
import { findAppFile, findConfigFile, findUserEntity } from './find-files.ts';

export interface InstallOptions {
  cwd: string;
  tsconfig?: string;
  user?: string;
  linkedAccount?: string;
  config?: string;
  app?: string;
  dryRun?: boolean;
}

export interface InstallReport {
  changedFiles: string[];
  /** Unified diff of every change (what `--dry-run` prints). */
  diff: string;
  nextSteps: NextStep[];
}

/**
 * Wires mikro-multi-account into an app: `@MultiAccount` on the user entity (with proposed display fields and
 * active check), the link entity, the MikroORM config, the Koa middleware and routes (with koa-passport's
 * identity in a koa-passport app, and the app's sign-in route as `signInPath`), `putUserId` after sign-in, and
 * exact MikroORM versions in package.json. Every step first checks whether it is already done, so a second run
 * changes nothing.
 */
export async function install(options: InstallOptions): Promise<InstallReport> {
  const cwd = resolve(options.cwd);
  const tsconfig = resolve(cwd, options.tsconfig ?? 'tsconfig.json');
  if (!existsSync(tsconfig))
    throw new InstallError(`cannot find ${tsconfig}; run the installer at the root of your app or pass --tsconfig.`);
  const project = new Project({ tsConfigFilePath: tsconfig });
  // Write code the way the app already does: its quotes, not ts-morph's default double quotes.
  const doubleQuoted = project
    .getSourceFiles()
    .some(file =>
      file.getImportDeclarations().some(declaration => declaration.getModuleSpecifier().getText().startsWith('"')),
    );
  project.manipulationSettings.set({
    quoteKind: doubleQuoted ? QuoteKind.Double : QuoteKind.Single,
    indentationText: indentationOf(project),
  });
  // Relative imports the installer writes follow the app's style, as it is before any of them.
  importStyleOf(project);
  const original = new Map(project.getSourceFiles().map(file => [file.getFilePath() as string, file.getFullText()]));
  const nextSteps: NextStep[] = [];
  const at = (path?: string) => (path ? resolve(cwd, path) : undefined);

  const user = findUserEntity(project, at(options.user));
  const app = findAppFile(project, at(options.app));
  // Read before anything is edited: how the app signs in.
  const signIn: SignInSetup = {
    passport: detectPassport(project, app),
    route: findSignInRoute(project, app),
    signOut: findSignOutRoute(project, app),
  };

  const linkPath = at(options.linkedAccount) ?? join(user.file.getDirectoryPath(), 'linked-account.ts');
  const link = patchLinkEntity(project, linkPath, user);
  patchUserEntity(user, link, nextSteps);
  const config = findConfigFile(project, at(options.config));
  if (config) patchConfig(config, link, nextSteps);
  else
    nextSteps.push({
      message:
        'Add LinkedAccount to the `entities` of your MikroORM config and wrap the config in withMultiAccount(...).',
    });
  if (app) {
    patchApp(app, user, signIn, nextSteps);
    patchSignIn(project, app, signIn, nextSteps);
  } else {
    nextSteps.push({
      message: signIn.passport
        ? 'Add loadMultiAccount(multiAccount) and multiAccountRoutes(multiAccount) with ' +
          '`const multiAccount = { userEntity, identity: koaPassportIdentity(passport) }` to your Koa app, ' +
          'right after `app.use(passport.session())`.'
        : 'Add loadMultiAccount({ userEntity }) and multiAccountRoutes({ userEntity }) to your Koa app ' +
          '(after koa-session), and call `await putUserId(ctx, user.id)` at sign-in.',
    });
  }
  const manifest = pinMikroOrm(cwd, nextSteps);

  const changed = project.getSourceFiles().filter(file => original.get(file.getFilePath()) !== file.getFullText());
  const edits = [
    ...changed.map(file => ({
      path: file.getFilePath() as string,
      before:
        original.get(file.getFilePath()) ??
        (existsSync(file.getFilePath()) ? readFileSync(file.getFilePath(), 'utf8') : ''),
      after: file.getFullText(),
    })),
    ...(manifest ? [manifest] : []),
  ];
  const diff = edits
    .map(({ path, before, after }) =>
      createTwoFilesPatch(`a/${relative(cwd, path)}`, `b/${relative(cwd, path)}`, before, after),
    )
    .join('');
  if (!options.dryRun) {
    await project.save();
    if (manifest) writeFileSync(manifest.path, manifest.after);
  }
  // Each line points into the file as it now is on disk: edited, or as it was with --dry-run.
  const onDisk = (path: string) => {
    const edit = edits.find(candidate => candidate.path === path);
    return edit ? (options.dryRun ? edit.before : edit.after) : original.get(path);
  };
  return {
    changedFiles: edits.map(edit => relative(cwd, edit.path)),
    diff,
    nextSteps: placeSteps(nextSteps, onDisk).map(step => ({ ...step, file: step.file && relative(cwd, step.file) })),
  };
}

/** The app's indentation, read from its first indented line. */
function indentationOf(project: Project): IndentationText {
  const indented = project
    .getSourceFiles()
    .flatMap(file => file.getFullText().split('\n'))
    .find(line => /^(\t| +)\S/.test(line));
  if (indented?.startsWith('\t')) return IndentationText.Tab;
  return /^ {4}\S/.test(indented ?? '') ? IndentationText.FourSpaces : IndentationText.TwoSpaces;
}
