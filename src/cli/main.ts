#!/usr/bin/env node
/** `npx mikro-multi-account <command>`. */
import { Command, InvalidArgumentError } from 'commander';
import { installCommand } from './install.ts';
import { pruneCommand } from './prune.ts';
import { verifyProject } from './verify.ts';

const program = new Command('mikro-multi-account').description('Tools for mikro-multi-account.');

program
  .command('verify')
  .description('check the multi-account decorators of a TypeScript project, as the ts-patch plugin does, without ts-patch')
  .option('-p, --project <path>', 'tsconfig.json, or the folder that holds it', 'tsconfig.json')
  .option('--pretty', 'colours and source context (default: when printing to a terminal)')
  .action((options: { project: string; pretty?: boolean }) => {
    process.exitCode = verifyProject(options.project, options.pretty ? { pretty: true } : {});
  });

program
  .command('prune')
  .description('delete expired and orphaned link rows and expired browser-session records, in bounded batches, and report how many')
  .option('-c, --config <path>', 'module whose default export is your MikroORM config', 'mikro-orm.config.js')
  .option('--batch-size <rows>', 'rows deleted per statement', positiveInteger, 1000)
  .action(async (options: { config: string; batchSize: number }) => {
    process.exitCode = await pruneCommand(options);
  });

program
  .command('install')
  .description('add mikro-multi-account to this app: entities, MikroORM config, Koa middleware and routes (koa-passport aware), putUserId, exact MikroORM versions')
  .option('--user <path>', 'the user entity file (default: an @Entity class named User, Account, Member, Person or Customer)')
  .option('--linked-account <path>', 'the link entity file to create or patch (default: linked-account.ts next to the user entity)')
  .option('--config <path>', 'the file of the MikroORM config (default: the file with an `entities: [...]` option)')
  .option('--app <path>', 'the file that creates the Koa app (default: the file with `new Koa()`)')
  .option('--tsconfig <path>', 'the project\'s tsconfig.json', 'tsconfig.json')
  .option('--dry-run', 'print a unified diff and write nothing')
  .option('--force', 'run even when the git work tree has uncommitted changes')
  .action(async (options: { user?: string; linkedAccount?: string; config?: string; app?: string; tsconfig: string; dryRun?: boolean; force?: boolean }) => {
    process.exitCode = await installCommand(options);
  });

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('expected a positive integer.');
  return number;
}

await program.parseAsync();
