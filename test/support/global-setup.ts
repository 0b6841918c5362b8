import { createClient } from 'redis';
import type { TestProject } from 'vitest/node';
import { databaseTargets, unavailabilityOf, type DatabaseName } from './database-targets.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databases: { name: DatabaseName; skipReason?: string }[];
    redis: { url: string; skipReason?: string };
  }
}

export const redisUrl = process.env.MMA_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisUnavailability(): Promise<string | undefined> {
  const client = createClient({ url: redisUrl, socket: { reconnectStrategy: false, connectTimeout: 2000 } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    await client.quit();
    return undefined;
  } catch (error) {
    return `Redis at ${redisUrl} is not reachable (${error instanceof Error ? error.message : String(error)})`;
  }
}

/**
 * Finds out once which databases answer. On a machine without a server its suites are skipped, loudly;
 * under CI=true every database must answer, or the run fails here.
 */
export default async function setup(project: TestProject): Promise<void> {
  const names = Object.keys(databaseTargets) as DatabaseName[];
  const databases = await Promise.all(names.map(async name => ({ name, skipReason: await unavailabilityOf(name) })));
  const redis = { url: redisUrl, skipReason: await redisUnavailability() };
  const missing = [...databases, redis].filter(service => service.skipReason);
  if (missing.length > 0 && process.env.CI === 'true') {
    const reasons = missing.map(d => `  - ${d.skipReason}`).join('\n');
    throw new Error(`CI=true, so every database and Redis suite must run, but:\n${reasons}`);
  }
  for (const service of missing) {
    const label = 'name' in service ? databaseTargets[service.name].label : 'Redis';
    console.warn(`\n⚠ SKIPPING the ${label} suites: ${service.skipReason}.\n`);
  }
  project.provide('databases', databases);
  project.provide('redis', redis);
}
