import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProject, multiAccountDiagnostics } from '../../src/cli/verify.ts';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * Where each fixture expects a diagnostic: a `/*@94001*\/` marker sits right before the offending literal,
 * so the expected file, position and code are written next to the code they are about.
 */
function expectedDiagnostics(fixture: string): { file: string; start: number; code: number }[] {
  return readdirSync(join(fixtures, fixture))
    .filter(name => name.endsWith('.ts'))
    .flatMap(name => {
      const text = readFileSync(join(fixtures, fixture, name), 'utf8');
      return [...text.matchAll(/\/\*@(\d+)\*\//g)].map(match => ({
        file: name,
        start: match.index + match[0].length,
        code: Number(match[1]),
      }));
    });
}

function actualDiagnostics(fixture: string) {
  const loaded = loadProject(join(fixtures, fixture));
  if ('error' in loaded) throw new Error(loaded.error);
  return multiAccountDiagnostics(loaded.program).map(diagnostic => ({
    file: diagnostic.file!.fileName.split('/').pop()!,
    start: diagnostic.start!,
    code: diagnostic.code,
    message: String(diagnostic.messageText),
  }));
}

describe('compile-time checks on fixture projects', () => {
  it.each(['good', 'non-literal'])('find nothing wrong in %s', fixture => {
    expect(actualDiagnostics(fixture)).toEqual([]);
  });

  it.each(['display-fields', 'active-check', 'references', 'not-a-user', 'max-linked-accounts', 'name-collisions'])(
    'report each problem of %s at its literal, with its code',
    fixture => {
      const expected = expectedDiagnostics(fixture);
      expect(expected.length).toBeGreaterThan(0);
      const actual = actualDiagnostics(fixture);
      expect(actual.map(({ file, start, code }) => ({ file, start, code })).sort((a, b) => a.start - b.start)).toEqual(
        expected.sort((a, b) => a.start - b.start),
      );
    },
  );

  it('say what to do', () => {
    const messages = (fixture: string) => actualDiagnostics(fixture).map(diagnostic => diagnostic.message);
    expect(messages('display-fields')).toContain(
      'displayFields entry "nickname" is not a member of User. ' +
        'Declare "nickname" on User (a property or a getter) or remove it from displayFields.',
    );
    expect(messages('active-check')).toContain(
      "activeCheck.value 'yes' does not fit Subscriber.enabled, which is boolean. Use a value of that type.",
    );
    expect(messages('references')).toEqual([
      'linkedAccountResource points at Plain, which has no @LinkedAccountResource. ' +
        'Decorate Plain with @LinkedAccountResource({ userResource: () => Owner }).',
      "TeamLink's userResource points at Admin, not at Member. Make both classes reference each other.",
    ]);
    expect(messages('name-collisions')).toContain(
      'sessionTokenAttributeName "counter" collides with Link.counter, which is declared differently: ' +
        'it must hold a uuid string. Choose another name or change the declaration.',
    );
  });
});
