import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { IndentationText, Project, QuoteKind } from 'ts-morph';
import { patchApp } from './patch-app.ts';
import { patchConfig } from './patch-config.ts';
import { patchLinkEntity } from './patch-link-entity.ts';
import { patchSignIn } from './patch-sign-in.ts';
import { patchUserEntity } from './patch-user-entity.ts';
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

/** Something the installer could not do by itself: what to do, and where. */
export interface NextStep {
  message: string;
  file?: string;
  line?: number;
}

export interface InstallReport {
  changedFiles: string[];
  /** Unified diff of every change (what `--dry-run` prints). */
  diff: string;
  nextSteps: NextStep[];
}

/**
 * Wires mikro-multi-account into an app: `@MultiAccount` on the user entity, the link entity, the MikroORM
 * config, the Koa middleware and routes, and `putUserId` after sign-in. Every step first checks whether it is
 * already done, so a second run changes nothing.
 */
export async function install(options: InstallOptions): Promise<InstallReport> {
  const cwd = resolve(options.cwd);
  const tsconfig = resolve(cwd, options.tsconfig ?? 'tsconfig.json');
  if (!existsSync(tsconfig)) throw new InstallError(`cannot find ${tsconfig}; run the installer at the root of your app or pass --tsconfig.`);
  const project = new Project({ tsConfigFilePath: tsconfig });
  // Write code the way the app already does: its quotes, not ts-morph's default double quotes.
  const doubleQuoted = project.getSourceFiles().some(file => file.getImportDeclarations().some(declaration => declaration.getModuleSpecifier().getText().startsWith('"')));
  project.manipulationSettings.set({ quoteKind: doubleQuoted ? QuoteKind.Double : QuoteKind.Single, indentationText: indentationOf(project) });
  const original = new Map(project.getSourceFiles().map(file => [file.getFilePath() as string, file.getFullText()]));
  const nextSteps: NextStep[] = [];
  const at = (path?: string) => (path ? resolve(cwd, path) : undefined);

  const user = findUserEntity(project, at(options.user));
  const linkPath = at(options.linkedAccount) ?? join(user.file.getDirectoryPath(), 'linked-account.ts');
  const link = patchLinkEntity(project, linkPath, user);
  patchUserEntity(user, link);
  const config = findConfigFile(project, at(options.config));
  if (config) patchConfig(config, link, nextSteps);
  else nextSteps.push({ message: 'Add LinkedAccount to the `entities` of your MikroORM config and wrap the config in withMultiAccount(...).' });
  const app = findAppFile(project, at(options.app));
  if (app) {
    patchApp(app, user, nextSteps);
    patchSignIn(project, app, nextSteps);
  } else {
    nextSteps.push({ message: 'Add loadMultiAccount({ userEntity }) and multiAccountRoutes({ userEntity }) to your Koa app (after koa-session), and call `await putUserId(ctx, user.id)` at sign-in.' });
  }

  const changed = project.getSourceFiles().filter(file => original.get(file.getFilePath()) !== file.getFullText());
  const diff = changed
    .map(file => {
      const name = relative(cwd, file.getFilePath());
      const before = original.get(file.getFilePath()) ?? (existsSync(file.getFilePath()) ? readFileSync(file.getFilePath(), 'utf8') : '');
      return createTwoFilesPatch(`a/${name}`, `b/${name}`, before, file.getFullText());
    })
    .join('');
  if (!options.dryRun) await project.save();
  return {
    changedFiles: changed.map(file => relative(cwd, file.getFilePath())),
    diff,
    nextSteps: nextSteps.map(step => ({ ...step, file: step.file && relative(cwd, step.file) })),
  };
}

/** The app's indentation, read from its first indented line. */
function indentationOf(project: Project): IndentationText {
  const indented = project.getSourceFiles().flatMap(file => file.getFullText().split('\n')).find(line => /^(\t| +)\S/.test(line));
  if (indented?.startsWith('\t')) return IndentationText.Tab;
  return /^ {4}\S/.test(indented ?? '') ? IndentationText.FourSpaces : IndentationText.TwoSpaces;
}

export class InstallError extends Error {
  override readonly name = 'InstallError';
}
