import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeLocalPath } from '../../src/koa/index.ts';

describe('safeLocalPath', () => {
  it.each(['/', '/dashboard', '/link/p/12?x=1#top', '/a%20b', '/caf%C3%A9'])('keeps the local path %s', path => {
    expect(safeLocalPath(path)).toBe(path);
  });

  it.each([
    '//evil.com',
    '///evil.com',
    'https://evil.com',
    'http:evil.com',
    'javascript:alert(1)',
    '/\\evil.com',
    '\\\\evil.com',
    '/%2F%2Fevil.com',
    '/%2fevil.com',
    '%2F%2Fevil.com',
    '/%5Cevil.com',
    '/%252F%252Fevil.com',
    '/\tevil.com',
    '/\n/evil.com',
    '/%09/evil.com',
    '/%E0%A4%A',
    // Dot segments that `new URL` folds into a host: the value returned is what gets checked.
    '/.//evil.example/x',
    '/..//evil.example/x',
    '/%2e//evil.example/x',
    '/%2E%2E//evil.example/x',
    '/a/..//evil.example/x',
    '/a/b/../..//evil.example/x',
    '/./\\evil.example',
    'evil.com',
    '',
    ' /x',
    `/${'a'.repeat(3000)}`,
  ])('turns %j into the fallback', target => {
    expect(safeLocalPath(target, '/home')).toBe('/home');
  });

  it(`returns only "/" or a path whose first slash is followed by neither a slash nor a \
backslash, for any input`, () => {
    // Inputs built from the pieces that open redirects are made of, and arbitrary text besides.
    const piece = fc.constantFrom(
      '/',
      '//',
      '\\',
      '.',
      '..',
      '%',
      '%2e',
      '%2E',
      '%2f',
      '%2F',
      '%5c',
      '%5C',
      '%25',
      'evil.example',
      'a',
      '?',
      '#',
      ':',
      '@',
      ' ',
      '\t',
      'http:',
    );
    const input = fc.oneof(
      fc.array(piece, { maxLength: 12 }).map(pieces => pieces.join('')),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
    );
    fc.assert(
      fc.property(input, target => {
        const result = safeLocalPath(target);
        return result === '/' || /^\/(?![/\\])/.test(result);
      }),
      { numRuns: 20_000 },
    );
  });

  it('refuses what is not a string', () => {
    expect(safeLocalPath(['/a'])).toBe('/');
    expect(safeLocalPath(undefined)).toBe('/');
  });
});
