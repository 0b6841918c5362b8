import type { TestProject } from 'vitest/node';
import { databaseTargets, unavailabilityOf, type DatabaseName } from './database-targets.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databases: { name: DatabaseName; skipReason?: string }[];
  }
}

/**
 * Finds out once which databases answer. On a machine without a server its suites are skipped, loudly;
 * under CI=true every database must answer, or the run fails here.
 */
export default async function setup(project: TestProject): Promise<void> {
  const names = Object.keys(databaseTargets) as DatabaseName[];
  const databases = await Promise.all(names.map(async name => ({ name, skipReason: await unavailabilityOf(name) })));
  const missing = databases.filter(database => database.skipReason);
  if (missing.length > 0 && process.env.CI === 'true') {
    throw new Error(`CI=true, so every database suite must run, but:\n${missing.map(d => `  - ${d.skipReason}`).join('\n')}`);
  }
  for (const database of missing) {
    console.warn(`\n⚠ SKIPPING the ${databaseTargets[database.name].label} suites: ${database.skipReason}.\n`);
  }
  project.provide('databases', databases);
}
