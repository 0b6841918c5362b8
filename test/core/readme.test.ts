import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { linkedAccountOptionDeclarations } from '../../src/dsl/linked-account-options.ts';
import { multiAccountOptionDeclarations } from '../../src/dsl/multi-account-options.ts';
import { renderOptionTable } from '../../src/dsl/option-table.ts';

it('documents every option in the README, as the declarations state them', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  expect(readme).toContain(renderOptionTable(multiAccountOptionDeclarations));
  expect(readme).toContain(renderOptionTable(linkedAccountOptionDeclarations));
});

it('documents every message the Koa flows can leave', async () => {
  const { flashMessages } = await import('../../src/koa/session/flash.ts');
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  for (const [code, { text }] of Object.entries(flashMessages)) expect(readme).toContain(`| \`${code}\` | ${text} |`);
});

it('documents every compile-time diagnostic code', async () => {
  const { compileTimeDiagnostics } = await import('../../src/errors/diagnostic-codes.ts');
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  for (const { code } of Object.values(compileTimeDiagnostics)) expect(readme).toContain(`| \`TS${code}\` |`);
});
