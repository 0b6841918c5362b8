import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
mkdirSync(join(root, 'test-results'), { recursive: true });
// Inside the repository, so `mikro-multi-account` resolves to its own build; compiled without experimentalDecorators.
const app = mkdtempSync(join(root, 'test-results', 'es-decorators-'));
cpSync(join(root, 'test/fixtures/es-decorators-app'), app, { recursive: true });
afterAll(() => rmSync(app, { recursive: true, force: true }));
const run = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  promisify(execFile)(process.execPath, args, { cwd: app }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

it('works with standard ES decorators (@mikro-orm/decorators/es), in either order with @Entity()', {
  timeout: 60_000,
}, async () => {
  const compiled = await run([join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']);
  expect(`${compiled.stdout}${compiled.stderr}`).toBe('');
  const ran = await run(['dist/main.js']);
  expect(ran.stderr).toBe('');
  expect(ran.stdout).toBe('["ben"]\n');
});

it('checks ES-decorated entities at compile time too', { timeout: 60_000 }, async () => {
  const verify = join(root, 'dist/src/cli/main.js');
  expect((await run([verify, 'verify'])).stdout).toContain('No multi-account problems');
  writeFileSync(
    join(app, 'wrong.ts'),
    `import { Entity, PrimaryKey } from '@mikro-orm/decorators/es';
import { MultiAccount } from 'mikro-multi-account';
import { EsLink } from './entities.js';

@MultiAccount({ linkedAccountResource: () => EsLink, displayFields: ['nickname'] })
@Entity()
export class WrongUser {
  @PrimaryKey({ type: 'integer' }) id!: number;
}
`,
  );
  const wrong = await run([verify, 'verify']);
  expect(wrong.code).toBe(1);
  expect(wrong.stdout).toMatch(
    /wrong\.ts\(5,\d+\): error TS94001: displayFields entry "nickname" is not a member of WrongUser/,
  );
});
