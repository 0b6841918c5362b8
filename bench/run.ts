/**
 * `npm run bench`: what multi-account costs per request against a plain koa-session app that loads the user
 * by id, on SQLite and on PostgreSQL; the SQL statements per request; the scale-out figures on Redis +
 * PostgreSQL; the group queries' PostgreSQL plans over a million link rows; and startup. Every app runs in
 * its own process, and so does the load generator. Prints tables and writes everything to bench/results.json.
 *
 * BENCH_DURATION (s per round, default 2), BENCH_ROUNDS (per side, default 9), BENCH_CONNECTIONS (default 10),
 * BENCH_ONLY (comma-separated: sqlite, postgresql, scale-out, plans, startup) and BENCH_SCENARIOS (loader, page,
 * accounts, switch) change the run.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { postgresAnswers } from './database.ts';
import { benchSettings, measureRequests, type RequestFigures } from './requests.ts';
import { measureScaleOut } from './scale-out.ts';
import { printPlans, groupQueryPlans } from './plans.ts';
import { measureStartup } from './startup.ts';

const only = process.env.BENCH_ONLY?.split(',');
const wanted = (part: string) => !only || only.includes(part);
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, ...benchSettings };
const postgres = await postgresAnswers();
if (!postgres)
  console.log('PostgreSQL does not answer (MMA_POSTGRES_URL): its figures, the scale-out and the plans are skipped.');

const printRequests = (title: string, figures: RequestFigures[]) => {
  console.log(
    `\n${title} — ${benchSettings.connections} connections, ` +
      `${benchSettings.rounds} interleaved rounds of ${benchSettings.duration} s a side`,
  );
  console.table(
    figures.map(figure => ({
      scenario: figure.scenario,
      'A req/s': formatSpread(figure.comparison.a.requestsPerSecond),
      'B req/s': formatSpread(figure.comparison.b.requestsPerSecond),
      'B/A':
        `${figure.comparison.ratio.toFixed(2)} ` +
        `(${figure.comparison.ratioRange.map(ratio => ratio.toFixed(2)).join('–')})`,
      'A CPU µs/req': Math.round(figure.comparison.a.cpuMicrosPerRequest.median),
      'B CPU µs/req': Math.round(figure.comparison.b.cpuMicrosPerRequest.median),
      'SQL/req A, B': `${figure.statements.a}, ${figure.statements.b}`,
      unexpected: figure.comparison.a.unexpected + figure.comparison.b.unexpected,
    })),
  );
};

for (const database of ['sqlite', 'postgresql'] as const) {
  if (!wanted(database) || (database === 'postgresql' && !postgres)) continue;
  results[database] = await measureRequests(database);
  printRequests(
    database === 'sqlite' ? 'SQLite (node:sqlite file)' : 'PostgreSQL',
    results[database] as RequestFigures[],
  );
}
if (wanted('scale-out') && postgres) {
  const scaleOut = await measureScaleOut();
  results.scaleOut = scaleOut;
  console.log('\nScale-out on Redis sessions + PostgreSQL: the loader path (5 links) at 1 and at 2 instances');
  console.table(
    scaleOut.map(figure => ({
      instances: figure.instances,
      'A req/s': formatSpread(figure.comparison.a.requestsPerSecond),
      'B req/s': formatSpread(figure.comparison.b.requestsPerSecond),
      'B/A': figure.comparison.ratio.toFixed(2),
      'B CPU µs/req': Math.round(figure.comparison.b.cpuMicrosPerRequest.median),
      unexpected: figure.comparison.a.unexpected + figure.comparison.b.unexpected,
    })),
  );
}
if (wanted('plans') && postgres) {
  const plans = await groupQueryPlans();
  results.plans = plans;
  printPlans(plans);
}
if (wanted('startup')) {
  results.startup = await measureStartup();
  console.log(
    '\nStartup: MikroORM.init with the link table generated (withMultiAccount) vs the same table declared by hand, ' +
      'median of 7 fresh processes each',
  );
  console.table(results.startup);
}

function formatSpread({ median, min, max }: { median: number; min: number; max: number }): string {
  return `${Math.round(median)} (${Math.round(min)}–${Math.round(max)})`;
}

const file = fileURLToPath(new URL('../../bench/results.json', import.meta.url));
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nWritten to ${file}`);
