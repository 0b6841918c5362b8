import { EntitySchema, MikroORM } from '@mikro-orm/core';
import { NodeSqliteDialect, SqliteDriver } from '@mikro-orm/sql';
import { LinkedAccountResource, MultiAccount, withMultiAccount } from '../src/index.ts';

let generation = 0;

/**
 * `count` user/link entity pairs: decorated for multi-account (the link table generated), or the same link
 * table declared by hand, as an app without the library would.
 */
function entityPairs(count: number, decorated: boolean): EntitySchema[] {
  const run = generation++;
  return Array.from({ length: count }, (_, index) => {
    const userName = `User${run}x${index}`;
    const linkName = `Link${run}x${index}`;
    const User = { [userName]: class {} }[userName]!;
    const Link = { [linkName]: class {} }[linkName]!;
    if (decorated) {
      MultiAccount({ linkedAccountResource: () => Link, displayFields: ['name'], activeCheck: { field: 'status', value: 'active' } })(User);
      LinkedAccountResource({ userResource: () => User })(Link);
    }
    return [
      new EntitySchema({ class: User, properties: { id: { type: 'number', primary: true }, name: { type: 'string' }, status: { type: 'string' } } }),
      decorated
        ? new EntitySchema({ class: Link, properties: {} })
        : new EntitySchema({ class: Link, properties: handDeclaredLink(User), uniques: [{ properties: ['primaryUser', 'linkedUser', 'sessionToken'] as never }] }),
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

/** Milliseconds for MikroORM to discover (and, with multi-account, transform and verify) the entities. */
async function initTime(entities: EntitySchema[], multiAccount: boolean): Promise<number> {
  const config = { driver: SqliteDriver, dbName: ':memory:', driverOptions: new NodeSqliteDialect(':memory:'), entities, connect: false };
  const started = performance.now();
  const orm = await MikroORM.init(multiAccount ? withMultiAccount(config) : config);
  const elapsed = performance.now() - started;
  await orm.close(true);
  return elapsed;
}

export interface StartupFigure {
  pairs: number;
  /** The link tables declared by hand, no library. */
  handDeclaredMs: number;
  /** The link tables generated: discovery, the library's transform and its verification. */
  generatedMs: number;
  /** What the library adds. */
  ownShareMs: number;
}

/** Median of five runs each way, interleaved, so one GC pause does not decide the figure. */
export async function measureStartup(sizes = [10, 100, 500]): Promise<StartupFigure[]> {
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const figures: StartupFigure[] = [];
  for (const pairs of sizes) {
    const plain: number[] = [];
    const multi: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      plain.push(await initTime(entityPairs(pairs, false), false));
      multi.push(await initTime(entityPairs(pairs, true), true));
    }
    const [handDeclaredMs, generatedMs] = [median(plain), median(multi)];
    figures.push({ pairs, handDeclaredMs: Math.round(handDeclaredMs), generatedMs: Math.round(generatedMs), ownShareMs: Math.round(generatedMs - handDeclaredMs) });
  }
  return figures;
}
