import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { linkedAccountOptionDeclarations } from '../../src/dsl/linked-account-options.ts';
import { multiAccountOptionDeclarations } from '../../src/dsl/multi-account-options.ts';
import { renderOptionTable } from '../../src/dsl/option-table.ts';

const page = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

it('documents every option in docs/options.md, as the declarations state them', () => {
  const options = page('docs/options.md');
  expect(options).toContain(renderOptionTable(multiAccountOptionDeclarations));
  expect(options).toContain(renderOptionTable(linkedAccountOptionDeclarations));
});

it('documents every message the Koa flows can leave in docs/errors.md', async () => {
  const { flashMessages } = await import('../../src/koa/session/flash.ts');
  const errors = page('docs/errors.md');
  for (const [code, { text }] of Object.entries(flashMessages)) expect(errors).toContain(`| \`${code}\` | ${text} |`);
});

it('documents every compile-time diagnostic code in docs/compile-time.md', async () => {
  const { compileTimeDiagnostics } = await import('../../src/errors/diagnostic-codes.ts');
  const checks = page('docs/compile-time.md');
  for (const { code } of Object.values(compileTimeDiagnostics)) expect(checks).toContain(`| \`TS${code}\` |`);
});

it('documents every option of the Koa bindings in docs/options.md, as src/koa/option-docs.ts has them', async () => {
  const { koaOptionNames } = await import('../../src/koa/option-checks.ts');
  const { documentedKoaOptions, renderKoaOptionTable } = await import('../../src/koa/option-docs.ts');
  expect(page('docs/options.md')).toContain(renderKoaOptionTable());
  expect(documentedKoaOptions().sort()).toEqual([...koaOptionNames].sort());
});
