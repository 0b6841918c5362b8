import { EntitySchema, MikroORM } from '@mikro-orm/core';
import { NodeSqliteDialect, SqliteDriver } from '@mikro-orm/sql';
import { LinkedAccountResource, MultiAccount, withMultiAccount } from '../src/index.ts';

let generation = 0;

/** `count` user/link entity pairs, decorated for multi-account or plain (the link then has only an id). */
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
      new EntitySchema({ class: Link, properties: decorated ? {} : { id: { type: 'uuid', primary: true } } }),
    ];
  }).flat();
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
  plainMs: number;
  multiAccountMs: number;
}

/** Median of three runs each way, so one GC pause does not decide the figure. */
export async function measureStartup(sizes = [10, 100, 500]): Promise<StartupFigure[]> {
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const figures: StartupFigure[] = [];
  for (const pairs of sizes) {
    const plain: number[] = [];
    const multi: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      plain.push(await initTime(entityPairs(pairs, false), false));
      multi.push(await initTime(entityPairs(pairs, true), true));
    }
    figures.push({ pairs, plainMs: Math.round(median(plain)), multiAccountMs: Math.round(median(multi)) });
  }
  return figures;
}
