#!/usr/bin/env node
/** `npx mikro-multi-account <command>`. */
import { Command, InvalidArgumentError } from 'commander';
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
  .description('delete expired and orphaned link rows, in bounded batches, and report how many')
  .option('-c, --config <path>', 'module whose default export is your MikroORM config', 'mikro-orm.config.js')
  .option('--batch-size <rows>', 'rows deleted per statement', positiveInteger, 1000)
  .action(async (options: { config: string; batchSize: number }) => {
    process.exitCode = await pruneCommand(options);
  });

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('expected a positive integer.');
  return number;
}

await program.parseAsync();
