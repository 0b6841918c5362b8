import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { installCommand } from '../../src/cli/install.ts';
import { install } from '../../src/install/installer.ts';

const fixture = fileURLToPath(new URL('./fixture-app/', import.meta.url));
const folders: string[] = [];

/** A fresh copy of the fixture app, the way a user's repository would look before installing. */
function freshApp(): string {
  const folder = mkdtempSync(join(tmpdir(), 'mma-install-'));
  folders.push(folder);
  cpSync(join(fixture, 'src'), join(folder, 'src'), { recursive: true });
  cpSync(join(fixture, 'tsconfig.json'), join(folder, 'tsconfig.json'));
  return folder;
}
const read = (folder: string, path: string) => readFileSync(join(folder, path), 'utf8');

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('npx mikro-multi-account install', () => {
  it('wires the user entity, the link entity, the config, the Koa app and putUserId', async () => {
    const app = freshApp();
    const report = await install({ cwd: app });
    expect(report.changedFiles.sort()).toEqual(['src/app.ts', 'src/entities/linked-account.ts', 'src/entities/user.ts', 'src/mikro-orm.config.ts']);

    const user = read(app, 'src/entities/user.ts');
    expect(user).toContain("import { MultiAccount } from 'mikro-multi-account';");
    expect(user).toContain("import { LinkedAccount } from './linked-account.js';");
    expect(user).toMatch(/@Entity\(\)\n@MultiAccount\(\{ linkedAccountResource: \(\) => LinkedAccount \}\)\nexport class User/);

    const link = read(app, 'src/entities/linked-account.ts');
    expect(link).toContain("import { Entity } from '@mikro-orm/decorators/legacy';");
    expect(link).toContain("import { User } from './user.js';");
    expect(link).toMatch(/@Entity\(\)\n@LinkedAccountResource\(\{ userResource: \(\) => User \}\)\nexport class LinkedAccount \{\s*\}/);

    const config = read(app, 'src/mikro-orm.config.ts');
    expect(config).toContain('entities: [User, LinkedAccount]');
    expect(config).toContain("export default defineConfig(withMultiAccount({");
    expect(config).toContain("import { LinkedAccount } from './entities/linked-account.js';");

    const koa = read(app, 'src/app.ts');
    expect(koa).toContain('  app.use((_ctx, next) => RequestContext.create(orm.em, next));\n  const multiAccount = { userEntity: User };\n');
    expect(koa).toContain('app.use(loadMultiAccount(multiAccount));');
    expect(koa).toContain('app.use(multiAccountRouter.routes()).use(multiAccountRouter.allowedMethods());');
    expect(koa).toMatch(/await putUserId\(ctx, user\.id\);\n\s*ctx\.session!\.userId = user\.id;/);
    expect(report.nextSteps.map(step => step.message).join('\n')).toContain('return_to');
  });

  it('changes nothing on a second run', async () => {
    const app = freshApp();
    await install({ cwd: app });
    const files = ['src/app.ts', 'src/entities/user.ts', 'src/entities/linked-account.ts', 'src/mikro-orm.config.ts'].map(path => read(app, path));
    const again = await install({ cwd: app });
    expect(again.changedFiles).toEqual([]);
    expect(again.diff).toBe('');
    expect(['src/app.ts', 'src/entities/user.ts', 'src/entities/linked-account.ts', 'src/mikro-orm.config.ts'].map(path => read(app, path))).toEqual(files);
  });

  it('prints a unified diff and writes nothing with --dry-run', async () => {
    const app = freshApp();
    const before = read(app, 'src/entities/user.ts');
    const report = await install({ cwd: app, dryRun: true });
    expect(report.diff).toContain('--- a/src/entities/user.ts');
    expect(report.diff).toContain('+@MultiAccount({ linkedAccountResource: () => LinkedAccount })');
    expect(report.diff).toContain('+++ b/src/entities/linked-account.ts');
    expect(read(app, 'src/entities/user.ts')).toBe(before);
    expect(() => read(app, 'src/entities/linked-account.ts')).toThrow();
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
      expect(await installCommand({ tsconfig: 'tsconfig.json', force: true, user: 'src/nowhere.ts' }, text => output.push(text))).toBe(1);
      expect(output.join('')).toContain('error: cannot find');
    } finally {
      process.chdir(previous);
    }
  });
});
