/**
 * One app instance of the bench, in a process of its own (started by bench/run.ts): A or B, on SQLite or
 * PostgreSQL, with the cookie store or Redis. Over IPC it answers its URL once listening, and on request the
 * CPU time it has used and the SQL statements it has run (counted only when started with `countStatements`).
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { MikroORM } from '@mikro-orm/core';
import { createClient } from 'redis';
import { redisSessionStore } from '../src/koa/index.ts';
import { benchApp, type AppKind } from './apps.ts';
import { benchOrmConfig, redisUrl, type BenchDatabase } from './database.ts';

export interface InstanceSpec {
  database: BenchDatabase;
  dbName: string;
  kind: AppKind;
  store: 'cookie' | 'redis';
  countStatements: boolean;
}

export type InstanceQuestion = 'usage' | 'close' | { profile: 'start' } | { profile: 'stop'; file: string };
export interface InstanceUsage {
  cpuMicros: number;
  /** Of which in the kernel (I/O, the database file's syncs). */
  systemMicros: number;
  statements: number;
  /** The SQL statements run since the last question, as MikroORM logged them (only when counting). */
  log: string[];
}

const spec = JSON.parse(process.argv[2]!) as InstanceSpec;
const inspector = new Session();
let statements = 0;
let log: string[] = [];
const orm = await MikroORM.init(
  benchOrmConfig(
    spec.database,
    spec.dbName,
    spec.countStatements
      ? message => {
          statements++;
          log.push(message);
        }
      : undefined,
  ),
);
// With write-ahead logging, syncing at checkpoints rather than at every commit is SQLite's own advice.
if (spec.database === 'sqlite') await orm.em.getConnection().execute('pragma synchronous = normal');
const redis = spec.store === 'redis' ? createClient({ url: redisUrl }) : undefined;
await redis?.connect();
const app = benchApp(orm, spec.kind, redis ? redisSessionStore(redis, { prefix: 'mma-bench:' }) : undefined);
const server = app.listen(0, '127.0.0.1', () => {
  process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
server.keepAliveTimeout = 60_000;

process.on('message', async (question: InstanceQuestion) => {
  if (typeof question === 'object') {
    // A CPU profile of what happens between start and stop (bench/profile.ts), without the set-up around it.
    if (question.profile === 'start') {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
    } else {
      const { profile } = await inspector.post('Profiler.stop');
      writeFileSync(question.file, JSON.stringify(profile));
      inspector.disconnect();
    }
    process.send!('done');
  } else if (question === 'usage') {
    const { user, system } = process.cpuUsage();
    process.send!({ cpuMicros: user + system, systemMicros: system, statements, log } satisfies InstanceUsage);
    log = [];
  } else {
    server.closeAllConnections();
    server.close();
    await redis?.quit();
    await orm.close(true);
    process.disconnect();
  }
});
