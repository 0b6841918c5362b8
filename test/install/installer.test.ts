import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { installCommand } from '../../src/cli/install.ts';
import { install } from '../../src/install/installer.ts';
import type { NextStep } from '../../src/install/next-steps.ts';
import { rangeIncludes } from '../../src/install/package-json.ts';

const fixtures = fileURLToPath(new URL('./', import.meta.url));
const folders: string[] = [];

/**
 * A fresh copy of a fixture app, the way a user's repository would look before installing; `files` replaces
 * (string) or edits (function) some of its files first.
 */
function freshApp(
  fixture: 'fixture-app' | 'passport-fixture-app' = 'fixture-app',
  files: Record<string, string | ((text: string) => string)> = {},
): string {
  const folder = mkdtempSync(join(tmpdir(), 'mma-install-'));
  folders.push(folder);
  cpSync(join(fixtures, fixture, 'src'), join(folder, 'src'), { recursive: true });
  cpSync(join(fixtures, fixture, 'tsconfig.json'), join(folder, 'tsconfig.json'));
  for (const [path, content] of Object.entries(files)) {
    writeFileSync(join(folder, path), typeof content === 'string' ? content : content(read(folder, path)));
  }
  return folder;
}
const read = (folder: string, path: string) => readFileSync(join(folder, path), 'utf8');
/** Line `line` (1-based) of a file's text. */
const lineOf = (text: string, line: number | undefined) => text.split('\n')[(line ?? 0) - 1];
const stepAbout = (steps: NextStep[], text: string) => {
  const step = steps.find(candidate => candidate.message.includes(text));
  expect(step, `a next step about ${text} in ${JSON.stringify(steps, null, 2)}`).toBeDefined();
  return step!;
};
const allFiles = ['src/app.ts', 'src/entities/user.ts', 'src/entities/linked-account.ts', 'src/mikro-orm.config.ts'];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('npx mikro-multi-account install', () => {
  it('wires the user entity, the link entity, the config, the Koa app and putUserId', async () => {
    const app = freshApp();
    const report = await install({ cwd: app });
    expect(report.changedFiles.sort()).toEqual([
      'src/app.ts',
      'src/entities/linked-account.ts',
      'src/entities/user.ts',
      'src/mikro-orm.config.ts',
    ]);

    const user = read(app, 'src/entities/user.ts');
    expect(user).toContain("import { MultiAccount, type MultiAccountUserRepository } from 'mikro-multi-account';");
    expect(user).toContain(
      'export class User {\n  [EntityRepositoryType]?: MultiAccountUserRepository<User, LinkedAccount>;',
    );
    expect(user).toContain("import { EntityRepositoryType } from '@mikro-orm/core';");
    expect(user).toContain("import { LinkedAccount } from './linked-account.js';");
    expect(user).toContain(
      [
        '@Entity()',
        "@MultiAccount({ linkedAccountResource: () => LinkedAccount, displayFields: ['name', 'email'] })",
        'export class User',
      ].join('\n'),
    );

    const link = read(app, 'src/entities/linked-account.ts');
    expect(link).toContain("import { Entity } from '@mikro-orm/decorators/legacy';");
    expect(link).toContain("import { User } from './user.js';");
    expect(link).toContain(
      [
        '@Entity()',
        '@LinkedAccountResource({ userResource: () => User })',
        'export class LinkedAccount {',
        '  [EntityRepositoryType]?: LinkedAccountRepository<User, LinkedAccount>;',
        '}',
      ].join('\n'),
    );
    expect(link).toMatch(/export interface LinkedAccount extends LinkedAccountFields<User> \{\s*\}/);

    const config = read(app, 'src/mikro-orm.config.ts');
    expect(config).toContain('entities: [User, LinkedAccount]');
    expect(config).toContain('export default defineConfig(withMultiAccount({');
    expect(config).toContain("import { LinkedAccount } from './entities/linked-account.js';");

    const koa = read(app, 'src/app.ts');
    expect(koa).toContain(
      [
        '  app.use((_ctx, next) => RequestContext.create(orm.em, next));',
        '  const multiAccount: MultiAccountKoaOptions<User> = {',
        '    userEntity: User,',
        '    signInPath: (_ctx, _primaryUserId, returnTo) => ' +
          "returnTo ? `/login?return_to=${encodeURIComponent(returnTo)}` : '/login',",
        "    signOutPath: () => '/logout',",
        '  };',
        '',
      ].join('\n'),
    );
    expect(koa).toContain(
      'import { loadMultiAccount, multiAccountRoutes, type MultiAccountKoaOptions, putUserId } ' +
        "from 'mikro-multi-account/koa';",
    );
    expect(koa).toContain('app.use(loadMultiAccount(multiAccount));');
    expect(koa).toContain('app.use(multiAccountRouter.routes()).use(multiAccountRouter.allowedMethods());');
    expect(koa).toMatch(/await putUserId\(ctx, user\.id\);\n\s*ctx\.session!\.userId = user\.id;/);
    expect(koa).not.toContain('koaPassportIdentity');
    expect(report.nextSteps.map(step => step.message).join('\n')).toContain('return_to');
    // Every use of the app's own sign-in key, and its sign-out, at its file and line.
    const readStep = stepAbout(report.nextSteps, '`ctx.session.userId` is read here');
    expect([readStep.file, lineOf(koa, readStep.line)]).toEqual([
      'src/app.ts',
      expect.stringContaining('ctx.session?.userId'),
    ]);
    const written = stepAbout(report.nextSteps, '`ctx.session.userId` is written here');
    expect(lineOf(koa, written.line)).toContain('ctx.session!.userId = user.id;');
    const signOut = stepAbout(report.nextSteps, 'Your sign-out is /logout');
    expect(lineOf(koa, signOut.line)).toContain("ctx.path === '/logout'");
  });

  it('changes nothing on a second run, with or without koa-passport', async () => {
    for (const fixture of ['fixture-app', 'passport-fixture-app'] as const) {
      const app = freshApp(fixture);
      await install({ cwd: app });
      const files = allFiles.map(path => read(app, path));
      const again = await install({ cwd: app });
      expect(again.changedFiles).toEqual([]);
      expect(again.diff).toBe('');
      expect(allFiles.map(path => read(app, path))).toEqual(files);
    }
  });

  it('prints a unified diff and writes nothing with --dry-run', async () => {
    const app = freshApp();
    const before = read(app, 'src/entities/user.ts');
    const report = await install({ cwd: app, dryRun: true });
    expect(report.diff).toContain('--- a/src/entities/user.ts');
    expect(report.diff).toContain(
      "+@MultiAccount({ linkedAccountResource: () => LinkedAccount, displayFields: ['name', 'email'] })",
    );
    expect(report.diff).toContain('+++ b/src/entities/linked-account.ts');
    expect(read(app, 'src/entities/user.ts')).toBe(before);
    expect(() => read(app, 'src/entities/linked-account.ts')).toThrow();
  });

  it('points next steps at lines of the files on disk: untouched with --dry-run, edited after a real run', async () => {
    const app = freshApp();
    const originals = Object.fromEntries(['src/app.ts', 'src/entities/user.ts'].map(path => [path, read(app, path)]));
    const dry = await install({ cwd: app, dryRun: true });
    // Made after the codemod added imports and the decorator to user.ts, and the middleware to app.ts.
    const entityStep = stepAbout(dry.nextSteps, '@MultiAccount on User');
    expect(entityStep.file).toBe('src/entities/user.ts');
    expect(lineOf(originals['src/entities/user.ts']!, entityStep.line)).toBe('export class User {');
    const routeStep = stepAbout(dry.nextSteps, 'POST /login');
    expect(routeStep.file).toBe('src/app.ts');
    expect(lineOf(originals['src/app.ts']!, routeStep.line)).toContain("ctx.path === '/login'");

    const real = await install({ cwd: app });
    expect(lineOf(read(app, 'src/entities/user.ts'), stepAbout(real.nextSteps, '@MultiAccount on User').line)).toMatch(
      /^@MultiAccount\(/,
    );
    const realRoute = stepAbout(real.nextSteps, 'POST /login');
    expect(realRoute.line).not.toBe(routeStep.line);
    expect(lineOf(read(app, 'src/app.ts'), realRoute.line)).toContain("ctx.path === '/login'");
  });

  it('refuses a dirty git tree unless --force, and explains what it cannot find', async () => {
    const app = freshApp();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: app, stdio: 'ignore' });
    git('init', '-q');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '.');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'app');
    writeFileSync(join(app, 'src/notes.ts'), 'export {};\n');
    const output: string[] = [];
    const previous = process.cwd();
    process.chdir(app);
    try {
      expect(await installCommand({ tsconfig: 'tsconfig.json' }, text => output.push(text))).toBe(1);
      expect(output.join('')).toContain('uncommitted changes');
      expect(await installCommand({ tsconfig: 'tsconfig.json', force: true }, text => output.push(text))).toBe(0);
      expect(output.join('')).toContain('Changed:\n');
      expect(
        await installCommand({ tsconfig: 'tsconfig.json', force: true, user: 'src/nowhere.ts' }, text =>
          output.push(text),
        ),
      ).toBe(1);
      expect(output.join('')).toContain('error: cannot find');
    } finally {
      process.chdir(previous);
    }
  });

  it('runs on a git tree whose only changes are what `npm install mikro-multi-account` wrote', async () => {
    const app = freshApp();
    const manifest = { name: 'app', private: true, type: 'module', dependencies: { '@mikro-orm/core': '7.2.1' } };
    writeFileSync(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(join(app, 'yarn.lock'), '# yarn lockfile v1\n');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: app, stdio: 'ignore' });
    git('init', '-q');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '.');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'app');
    // What the package install wrote: the manifest and lockfiles, modified or new.
    const installed = { ...manifest, dependencies: { ...manifest.dependencies, 'mikro-multi-account': '^0.1.0' } };
    writeFileSync(join(app, 'package.json'), `${JSON.stringify(installed, null, 2)}\n`);
    writeFileSync(join(app, 'yarn.lock'), '# yarn lockfile v1\n# mikro-multi-account\n');
    for (const lockfile of ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml'])
      writeFileSync(join(app, lockfile), '{}\n');
    mkdirSync(join(app, 'node_modules/mikro-multi-account'), { recursive: true });
    writeFileSync(join(app, 'node_modules/mikro-multi-account/package.json'), '{}\n');
    // Anything else still counts, a package.json of another folder too.
    writeFileSync(join(app, 'src/package.json'), '{}\n');
    const output: string[] = [];
    const previous = process.cwd();
    process.chdir(app);
    try {
      expect(await installCommand({ tsconfig: 'tsconfig.json' }, text => output.push(text))).toBe(1);
      expect(output.join('')).toContain('uncommitted changes (1 file besides package.json and the lockfile)');
      rmSync(join(app, 'src/package.json'));
      expect(await installCommand({ tsconfig: 'tsconfig.json' }, text => output.push(text))).toBe(0);
      expect(output.join('')).toContain('Changed:\n');
    } finally {
      process.chdir(previous);
    }
  });
});

describe('install in a koa-passport app', () => {
  it('wires koaPassportIdentity(passport) right after passport.session(), and no putUserId', async () => {
    const app = freshApp('passport-fixture-app');
    const report = await install({ cwd: app });
    expect(report.changedFiles.sort()).toEqual([
      'src/app.ts',
      'src/entities/linked-account.ts',
      'src/entities/user.ts',
      'src/mikro-orm.config.ts',
    ]);
    const koa = read(app, 'src/app.ts');
    expect(koa).toContain(
      [
        '  app.use(passport.initialize());',
        '  app.use(passport.session());',
        '  const multiAccount: MultiAccountKoaOptions<User> = {',
        '    userEntity: User,',
        '    identity: koaPassportIdentity(passport),',
        '    signInPath: (_ctx, _primaryUserId, returnTo) => ' +
          "returnTo ? `/login?return_to=${encodeURIComponent(returnTo)}` : '/login',",
        '  };',
        '  const multiAccountRouter = multiAccountRoutes(multiAccount);',
        '  app.use(loadMultiAccount(multiAccount));',
        '  app.use(multiAccountRouter.routes()).use(multiAccountRouter.allowedMethods());',
        '  app.use(router.routes()).use(router.allowedMethods());',
      ].join('\n'),
    );
    expect(koa).toContain("import { koaPassportIdentity } from 'mikro-multi-account/koa-passport';");
    expect(koa).not.toContain('putUserId');
    expect(stepAbout(report.nextSteps, 'stay koa-passport').message).toContain('no putUserId');
    expect(report.nextSteps.map(step => step.message).join('\n')).not.toContain('signOut(ctx)');
  });

  it("uses the app's own passport instance, and inserts no putUserId even before a session write", async () => {
    const app = freshApp('passport-fixture-app', {
      'src/app.ts': text =>
        text
          .replace("import passport from 'koa-passport';", "import { KoaPassport } from 'koa-passport';")
          .replace('  const app = new Koa();\n', '  const app = new Koa();\n  const auth = new KoaPassport();\n')
          .replaceAll('passport.', 'auth.')
          .replace(
            '      await ctx.login(user);\n',
            '      await ctx.login(user);\n      ctx.session!.userId = user.id;\n',
          ),
    });
    await install({ cwd: app });
    const koa = read(app, 'src/app.ts');
    expect(koa).toContain(
      [
        '  app.use(auth.session());',
        '  const multiAccount: MultiAccountKoaOptions<User> = {',
        '    userEntity: User,',
        '    identity: koaPassportIdentity(auth),',
        '',
      ].join('\n'),
    );
    expect(koa).not.toContain('putUserId');
  });

  it(`recognises koa-passport from ctx.login() alone, \
and says where to wire it when its middleware is mounted in another file`, async () => {
    const auth = [
      "import type Koa from 'koa';",
      "import passport from 'koa-passport';",
      '',
      "/** Passport's middleware, mounted by createApp. */",
      'export function mountPassport(app: Koa): void {',
      '  app.use(passport.initialize());',
      '  app.use(passport.session());',
      '}',
      '',
    ].join('\n');
    const app = freshApp('passport-fixture-app', {
      'src/auth.ts': auth,
      'src/app.ts': text =>
        text
          .replace(
            "import { User } from './entities/user.js';",
            "import { User } from './entities/user.js';\nimport { mountPassport } from './auth.js';",
          )
          .replace('  app.use(passport.initialize());\n  app.use(passport.session());\n', '  mountPassport(app);\n'),
    });
    const report = await install({ cwd: app, dryRun: true });
    expect(report.changedFiles).not.toContain('src/app.ts');
    const step = stepAbout(report.nextSteps, "koa-passport's middleware is mounted here");
    expect(step.file).toBe('src/auth.ts');
    expect(lineOf(auth, step.line)).toBe('  app.use(passport.session());');
    expect(step.message).toContain('identity: koaPassportIdentity(passport)');

    // No import of koa-passport and no middleware in sight: ctx.login() still tells, and no putUserId goes in.
    const bare = freshApp('fixture-app', {
      'src/app.ts': text =>
        text.replace('ctx.session!.userId = user.id;', 'await ctx.login(user);\n      ctx.session!.userId = user.id;'),
    });
    const bareReport = await install({ cwd: bare, dryRun: true });
    expect(bareReport.diff).not.toContain('putUserId');
    expect(stepAbout(bareReport.nextSteps, 'mounts no `passport.session()`').file).toBe('src/app.ts');
  });
});

describe('the sign-in route', () => {
  const routerApp = (routes: string) =>
    freshApp('fixture-app', {
      'src/app.ts': text =>
        text
          .replace("import Koa from 'koa';", "import Router from '@koa/router';\nimport Koa from 'koa';")
          .replace(
            '  return app;\n',
            `  const auth = new Router({ prefix: '/auth' });\n${routes}  app.use(auth.routes());\n  return app;\n`,
          ),
    });

  it(`prefers the GET page of a router with a prefix, whatever the order, \
over other strings naming a login`, async () => {
    const app = routerApp(
      [
        "  auth.get('/help', ctx => ctx.redirect('/login'));",
        "  auth.post('/log-in', ctx => { ctx.body = 'signed in'; });",
        "  auth.get('/log-in', ctx => { ctx.body = 'the sign-in page'; });",
        '',
      ].join('\n'),
    );
    const before = read(app, 'src/app.ts');
    const report = await install({ cwd: app, dryRun: true });
    expect(report.diff).toContain(
      'signInPath: (_ctx, _primaryUserId, returnTo) => ' +
        "returnTo ? `/auth/log-in?return_to=${encodeURIComponent(returnTo)}` : '/auth/log-in',",
    );
    const step = stepAbout(report.nextSteps, 'GET /auth/log-in');
    expect(step.file).toBe('src/app.ts');
    expect(lineOf(before, step.line)).toBe("  auth.get('/log-in', ctx => { ctx.body = 'the sign-in page'; });");
  });

  it("writes no signInPath for the library's default /sign-in", async () => {
    const app = freshApp('fixture-app', {
      'src/app.ts': text =>
        text.replace("ctx.path === '/login'", "ctx.path === '/sign-in'").replace("'/logout'", "'/sign-out'"),
    });
    const report = await install({ cwd: app });
    const koa = read(app, 'src/app.ts');
    expect(koa).toContain('  const multiAccount = { userEntity: User };\n');
    expect(koa).not.toContain('signOutPath');
    expect(koa).not.toContain('signInPath');
    expect(koa).not.toContain('MultiAccountKoaOptions');
    const step = stepAbout(report.nextSteps, 'POST /sign-in');
    expect(step.message).toContain('default signInPath');
    expect(lineOf(koa, step.line)).toContain("ctx.path === '/sign-in'");
  });
});

describe('@MultiAccount options proposed from the user entity', () => {
  /** A user entity with `body` after its primary key, and `after` the class. */
  const entity = (body: string, after = '') =>
    "import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';\n\n" +
    `@Entity()\nexport class User {\n  @PrimaryKey()\n  id!: number;\n\n${body}}\n${after}`;
  /** The arguments of the `@MultiAccount(...)` the installer adds, and its next steps. */
  const decoratorOf = async (fixture: 'fixture-app' | 'passport-fixture-app', user?: string) => {
    const app = freshApp(fixture, user ? { 'src/entities/user.ts': user } : {});
    const report = await install({ cwd: app, dryRun: true });
    return {
      decorator: /\+@MultiAccount\(([^@]*?)\)\n/.exec(report.diff)?.[1]?.replace(/\n\+/g, '\n'),
      steps: report.nextSteps,
    };
  };

  it('proposes a boolean active flag as activeCheck, and name and email as displayFields', async () => {
    const { decorator, steps } = await decoratorOf('passport-fixture-app');
    expect(decorator).toBe(
      [
        '{',
        '  linkedAccountResource: () => LinkedAccount,',
        "  displayFields: ['name', 'email'],",
        "  activeCheck: { field: 'active', value: true },",
        '}',
      ].join('\n'),
    );
    expect(stepAbout(steps, '@MultiAccount on User').message).toContain('activeCheck { field: active, value: true }');
  });

  it('proposes a status whose enum or initializer says active, and at most two names and an email', async () => {
    const enumStatus = await decoratorOf(
      'fixture-app',
      entity(
        [
          '  @Property() username!: string;',
          '  @Property() fullName!: string;',
          '  @Property() displayName!: string;',
          '  @Property() emailAddress!: string;',
          '  @Enum(() => UserStatus) status: UserStatus = UserStatus.Pending;',
          '',
        ].join('\n'),
        "\nexport enum UserStatus { Pending = 'pending', Active = 'active' }\n",
      ),
    );
    expect(enumStatus.decorator).toContain("displayFields: ['displayName', 'fullName', 'emailAddress']");
    expect(enumStatus.decorator).toContain("activeCheck: { field: 'status', value: 'active' }");

    const items = await decoratorOf(
      'fixture-app',
      entity("  @Enum({ items: ['banned', 'active'] }) status!: string;\n"),
    );
    expect(items.decorator).toBe(
      "{ linkedAccountResource: () => LinkedAccount, activeCheck: { field: 'status', value: 'active' } }",
    );

    const initialized = await decoratorOf(
      'fixture-app',
      entity("  @Property() state: string = 'active';\n  @Property() email!: string;\n"),
    );
    expect(initialized.decorator).toBe(
      [
        '{',
        '  linkedAccountResource: () => LinkedAccount,',
        "  displayFields: ['email'],",
        "  activeCheck: { field: 'state', value: 'active' },",
        '}',
      ].join('\n'),
    );
  });

  it('proposes nothing that is not there', async () => {
    const unknown = await decoratorOf(
      'fixture-app',
      entity(
        "  @Property() status: string = 'pending';\n  @Property() enabled: string = 'yes';\n" +
          '  @Property() password!: string;\n',
      ),
    );
    expect(unknown.decorator).toBe('{ linkedAccountResource: () => LinkedAccount }');
    expect(stepAbout(unknown.steps, '@MultiAccount on User').message).toContain('no displayFields');
    expect(stepAbout(unknown.steps, '@MultiAccount on User').message).toContain('no activeCheck');
  });
});

describe('package.json', () => {
  it('pins @mikro-orm/* ranges to the exact version mikro-multi-account peer-depends on', async () => {
    const ownPeer = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).peerDependencies[
      '@mikro-orm/core'
    ] as string;
    const app = freshApp();
    const dependencies = {
      '@mikro-orm/core': '^7.2.1',
      '@mikro-orm/decorators': ownPeer,
      '@mikro-orm/sql': '~7.2.0',
      koa: '^3.0.0',
    };
    const devDependencies = { '@mikro-orm/postgresql': '^6.4.0' };
    const manifest = `${JSON.stringify({ name: 'app', private: true, dependencies, devDependencies }, null, 4)}\n`;
    writeFileSync(join(app, 'package.json'), manifest);

    const dry = await install({ cwd: app, dryRun: true });
    expect(dry.changedFiles).toContain('package.json');
    expect(dry.diff).toContain('-        "@mikro-orm/core": "^7.2.1",\n+        "@mikro-orm/core": "7.2.1",');
    expect(read(app, 'package.json')).toBe(manifest);

    const report = await install({ cwd: app });
    const pinned = JSON.parse(read(app, 'package.json'));
    expect(pinned.dependencies).toEqual({ ...dependencies, '@mikro-orm/core': ownPeer, '@mikro-orm/sql': ownPeer });
    expect(pinned.devDependencies['@mikro-orm/postgresql']).toBe('^6.4.0');
    expect(read(app, 'package.json')).toBe(
      `${JSON.stringify({ ...JSON.parse(manifest), dependencies: pinned.dependencies }, null, 4)}\n`,
    );
    expect(stepAbout(report.nextSteps, 'Pinned MikroORM').message).toContain(
      `@mikro-orm/core ^7.2.1 → ${ownPeer}, @mikro-orm/sql ~7.2.0 → ${ownPeer}`,
    );
    expect(stepAbout(report.nextSteps, '@mikro-orm/postgresql ^6.4.0').message).toContain(
      `needs MikroORM ${ownPeer} exactly`,
    );
    expect((await install({ cwd: app })).changedFiles).toEqual([]);
  });

  it('knows which npm ranges let a version in', () => {
    for (const range of ['^7.2.1', '^7.0.0', '^7', '~7.2.0', '~7.2', '7.x', '7.2.x', '>=7.1.0', '*'])
      expect(rangeIncludes(range, '7.2.1'), range).toBe(true);
    for (const range of ['^7.2.2', '^6.4.0', '~7.1.0', '7.2.5', '8.x', '>=7.3.0', 'latest'])
      expect(rangeIncludes(range, '7.2.1'), range).toBe(false);
  });
});

describe('relative imports the installer writes', () => {
  for (const [style, extension] of [
    ['without an extension', ''],
    ['with .ts', '.ts'],
  ] as const) {
    it(`follow the app's own style: ${style}`, async () => {
      const restyle = (text: string) => text.replace(/from '(\.[^']*)\.js'/g, `from '$1${extension}'`);
      const app = freshApp(
        'fixture-app',
        Object.fromEntries(['src/app.ts', 'src/server.ts', 'src/mikro-orm.config.ts'].map(path => [path, restyle])),
      );
      await install({ cwd: app });
      // user.ts has no relative import of its own, linked-account.ts none at all: the app's style decides.
      expect(read(app, 'src/entities/user.ts')).toContain(
        `import { LinkedAccount } from './linked-account${extension}';`,
      );
      expect(read(app, 'src/entities/linked-account.ts')).toContain(`import { User } from './user${extension}';`);
      expect(read(app, 'src/mikro-orm.config.ts')).toContain(
        `import { LinkedAccount } from './entities/linked-account${extension}';`,
      );
    });
  }
});
