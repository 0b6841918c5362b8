/**
 * Why this TypeScript cannot run the checks, in one line with the fix; undefined when it can. TypeScript 7 (the
 * native compiler) has no JavaScript compiler API: `createProgram`, `sys` and plugins are TypeScript 6's and before.
 */
export function compilerApiProblem(ts: unknown): string | undefined {
  const api = ts as { createProgram?: unknown; sys?: unknown; version?: unknown } | null | undefined;
  if (typeof api?.createProgram === 'function' && typeof api.sys === 'object' && api.sys !== null) return undefined;
  const version = typeof api?.version === 'string' ? `TypeScript ${api.version}` : 'this TypeScript';
  return (
    `${version} has no compiler API (TypeScript 7 is a native compiler), which the multi-account checks need. ` +
    'Install TypeScript 6 to run them: npm install --save-dev typescript@6'
  );
}
