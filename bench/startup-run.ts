import { EntitySchema, MikroORM, type Options } from '@mikro-orm/core';
import { NodeSqliteDialect, SqliteDriver } from '@mikro-orm/sql';
import { LinkedAccountResource, MultiAccount, withMultiAccount } from '../src/index.ts';

/** What one `MikroORM.init` in a fresh process cost (bench/startup.ts starts one per measurement). */
export interface StartupRun {
  initMs: number;
  /** Time spent in the library's discovery hooks: the transformers and the startup verifiers. */
  libraryCodeMs: number;
}

/**
 * `count` user/link entity pairs: decorated for multi-account (the link table generated), or the same link
 * table declared by hand, as an app without the library would.
 */
function entityPairs(count: number, decorated: boolean): EntitySchema[] {
  return Array.from({ length: count }, (_, index) => {
    const User = { [`User${index}`]: class {} }[`User${index}`]!;
    const Link = { [`Link${index}`]: class {} }[`Link${index}`]!;
    if (decorated) {
      MultiAccount({
        linkedAccountResource: () => Link,
        displayFields: ['name'],
        activeCheck: { field: 'status', value: 'active' },
      })(User);
      LinkedAccountResource({ userResource: () => User })(Link);
    }
    return [
      new EntitySchema({
        class: User,
        properties: { id: { type: 'number', primary: true }, name: { type: 'string' }, status: { type: 'string' } },
      }),
      decorated
        ? new EntitySchema({ class: Link, properties: {} })
        : new EntitySchema({
            class: Link,
            properties: handDeclaredLink(User),
            uniques: [{ properties: ['primaryUser', 'linkedUser', 'sessionToken'] as never }],
          }),
    ];
  }).flat();
}

/** The columns and relations the library generates, written out. */
function handDeclaredLink(User: Function) {
  return {
    id: { type: 'uuid', primary: true },
    sessionToken: { type: 'uuid' },
    status: { type: 'string', default: 'active' },
    insertedAt: { type: 'datetime', length: 3 },
    updatedAt: { type: 'datetime', length: 3 },
    primaryUser: { kind: 'm:1', entity: () => User, deleteRule: 'cascade' },
    linkedUser: { kind: 'm:1', entity: () => User, deleteRule: 'cascade' },
  } as const;
}

/** Wraps the discovery hooks `withMultiAccount` installed so the time spent inside them adds up in `spent.ms`. */
function timeHooks<Config extends Partial<Options>>(config: Config, spent: { ms: number }): Config {
  const timed = <Hook extends (...args: any[]) => any>(hook: Hook | undefined) =>
    hook &&
    (((...args: Parameters<Hook>) => {
      const started = performance.now();
      try {
        return hook(...args);
      } finally {
        spent.ms += performance.now() - started;
      }
    }) as Hook);
  const { onMetadata, afterDiscovered } = config.discovery ?? {};
  return {
    ...config,
    discovery: { ...config.discovery, onMetadata: timed(onMetadata), afterDiscovered: timed(afterDiscovered) },
  };
}

async function measure(pairs: number, multiAccount: boolean): Promise<StartupRun> {
  const entities = entityPairs(pairs, multiAccount);
  const config = {
    driver: SqliteDriver,
    dbName: ':memory:',
    driverOptions: new NodeSqliteDialect(':memory:'),
    entities,
  };
  const spent = { ms: 0 };
  const started = performance.now();
  const orm = await MikroORM.init(multiAccount ? timeHooks(withMultiAccount(config), spent) : config);
  const initMs = performance.now() - started;
  await orm.close(true);
  return { initMs, libraryCodeMs: spent.ms };
}

const [pairs, side] = process.argv.slice(2);
process.stdout.write(JSON.stringify(await measure(Number(pairs), side === 'generated')));
