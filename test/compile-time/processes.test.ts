import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyProject } from '../../src/cli/verify.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = join(root, 'test/compile-time/fixtures');
const cli = join(root, 'dist/src/cli/main.js');
const tspc = join(root, 'node_modules/ts-patch/bin/tspc.js');

/** Runs a Node script as its own process, with the Node running the tests; never throws on exit codes. */
async function run(script: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, ...args], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('compile-time checks as real processes', () => {
  beforeAll(() => {
    // `npm test` builds first; the plugin and the CLI are run as shipped, compiled to JS.
    if (!existsSync(cli)) throw new Error('dist/ is missing: run `npm run build` (npm test does) before these tests.');
  });

  it('tspc with the plugin fails the build at the offending literal', async () => {
    const { code, output } = await run(tspc, ['-p', join(fixtures, 'references/tsconfig.json'), '--pretty', 'false']);
    expect(code).toBe(2); // tsc's exit code for errors in the program
    expect(output).toContain(
      'test/compile-time/fixtures/references/user.ts(6,56): error TS94004: linkedAccountResource points at Plain',
    );
    expect(output).toMatch(
      /user\.ts\(12,56\): error TS94005: TeamLink's userResource points at Admin, not at Member\./,
    );
  });

  it('tspc with the plugin builds a correct project', async () => {
    expect(await run(tspc, ['-p', join(fixtures, 'good/tsconfig.json')])).toEqual({ code: 0, output: '' });
  });

  it('verify says in one line how to run it when the TypeScript it loads has no compiler API (TypeScript 7)', () => {
    const printed: string[] = [];
    // What TypeScript 7's package exports to JavaScript: no createProgram, no sys.
    const typescript7 = { version: '7.0.0' };
    const code = verifyProject(join(fixtures, 'good/tsconfig.json'), {
      compiler: typescript7 as never,
      write: text => printed.push(text) > 0,
    });
    expect({ code, printed }).toEqual({
      code: 2,
      printed: [
        'error: TypeScript 7.0.0 has no compiler API (TypeScript 7 is a native compiler), which the multi-account ' +
          'checks need. Install TypeScript 6 to run them: npm install --save-dev typescript@6\n',
      ],
    });
  });

  it('verify prints diagnostics like tsc and exits 1 on errors, 0 otherwise', async () => {
    const bad = await run(cli, ['verify', '-p', join(fixtures, 'max-linked-accounts')]);
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(
      /entities\.ts\(5,85\): error TS94007: maxLinkedAccounts is 0; it must be a positive integer such as 5\./,
    );
    expect(bad.output).toContain('Found 3 multi-account errors in 1 file.');

    const good = await run(cli, ['verify', '-p', join(fixtures, 'good/tsconfig.json')]);
    expect(good).toEqual({ code: 0, output: 'No multi-account problems in 2 files.\n' });
  });

  it('verify explains a missing or broken tsconfig', async () => {
    const missing = await run(cli, ['verify', '-p', join(fixtures, 'no-such-project')]);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('error: cannot find a tsconfig at');
    expect(missing.output).toContain('Pass the project with -p path/to/tsconfig.json.');

    const folder = mkdtempSync(join(tmpdir(), 'mma-verify-'));
    try {
      writeFileSync(join(folder, 'tsconfig.json'), '{ "compilerOptions": { "strict": tru } }');
      const broken = await run(cli, ['verify', '-p', folder]);
      expect(broken.code).toBe(1);
      expect(broken.output).toMatch(/error: .*tsconfig\.json is not a valid tsconfig:|error: cannot read/);
      expect(broken.output).toMatch(/error TS\d+/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
