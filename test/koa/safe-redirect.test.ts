import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderAccountSwitcher, safeLocalPath } from '../../src/koa/index.ts';

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

  it('returns only "/" or a path whose first slash is followed by neither a slash nor a backslash, for any input', () => {
    // Inputs built from the pieces that open redirects are made of, and arbitrary text besides.
    const piece = fc.constantFrom('/', '//', '\\', '.', '..', '%', '%2e', '%2E', '%2f', '%2F', '%5c', '%5C', '%25', 'evil.example', 'a', '?', '#', ':', '@', ' ', '\t', 'http:');
    const input = fc.oneof(fc.array(piece, { maxLength: 12 }).map(pieces => pieces.join('')), fc.string({ unit: 'grapheme', maxLength: 40 }));
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

describe('renderAccountSwitcher', () => {
  it('escapes everything it prints', () => {
    const html = renderAccountSwitcher({
      accounts: [
        { user: {}, id: '1', label: '<script>alert(1)</script>', current: true, primary: true, switchUrl: '/link/switch_to/1', unlinkUrl: null },
        { user: {}, id: '2', label: '"><img src=x onerror=alert(2)>', current: false, primary: false, switchUrl: '/link/switch_to/2"x', unlinkUrl: '/link/unlink/2"x' },
      ],
      signOutAccountUrl: '/link/sign_out',
      signOutAllUrl: '/link/sign_out_all',
      perTab: false,
      addAccountUrl: '/sign-in?return_to=/link/p/1&x="y"',
      signOutUrl: '/sign-out',
      csrfToken: 'tok"en',
    });
    expect(html).not.toMatch(/<script|<img|onerror=alert\(2\)>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('action="/link/switch_to/2&quot;x"');
    expect(html).toContain('action="/link/unlink/2&quot;x"');
    expect(html).toContain('<button type="submit">Remove &quot;&gt;&lt;img src=x onerror=alert(2)&gt;</button>');
    expect(html).toContain('value="tok&quot;en"');
    expect(html).toContain('href="/sign-in?return_to=/link/p/1&amp;x=&quot;y&quot;"');
  });
});
