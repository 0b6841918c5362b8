import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pages = [
  'README.md',
  'CONTRIBUTING.md',
  'CHANGELOG.md',
  ...readdirSync(join(root, 'docs'))
    .filter(name => name.endsWith('.md'))
    .map(name => `docs/${name}`),
];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

const anchorsOf = (file: string) =>
  new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(line => /^#{1,6} /.test(line))
      .map(line => anchorOf(line.replace(/^#+ /, ''))),
  );

it('links every page of the docs to files and headings that exist', () => {
  const broken: string[] = [];
  for (const page of pages) {
    const text = readFileSync(join(root, page), 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^(https?:|mailto:)/.test(target!)) continue;
      const [path, anchor] = target!.split('#') as [string, string | undefined];
      const file = path === '' ? join(root, page) : join(root, dirname(page), path);
      if (!existsSync(file)) broken.push(`${page}: ${target} (no ${relative(root, file)})`);
      else if (anchor && file.endsWith('.md') && !anchorsOf(file).has(anchor)) {
        broken.push(`${page}: ${target} (no heading #${anchor})`);
      }
    }
  }
  expect(broken).toEqual([]);
});

/** The pages whose `<!-- file: … -->` blocks a test writes out, compiles and runs. */
const runPages = ['docs/koa.md', 'docs/postgresql.md'];

it('runs every code block marked as a file: its page is one a test writes out and runs', () => {
  const marked = pages.filter(page => readFileSync(join(root, page), 'utf8').includes('<!-- file: '));
  expect(marked.sort()).toEqual([...runPages].sort());
  const tests = ['test/core/koa-guide.test.ts', 'test/core/postgresql-guide.test.ts'].map(test =>
    readFileSync(join(root, test), 'utf8'),
  );
  for (const page of runPages)
    expect(
      tests.some(test => test.includes(`'${page}', 'file'`)),
      page,
    ).toBe(true);
});
