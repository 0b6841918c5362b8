/**
 * State every copy of this package in the process must share — the CLI's copy and the app's, or two copies in
 * a monorepo — kept, as MikroORM keeps its own metadata, in a global behind `Symbol.for`: decorators recorded by
 * one copy are seen by the discovery of another.
 */
export function sharedAcrossCopies<T>(name: string, create: () => T): T {
  const key = Symbol.for(`mikro-multi-account/${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  return (store[key] ??= create());
}
