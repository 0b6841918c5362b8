#!/usr/bin/env node
/** `npx mikro-multi-account <command>`. Each command loads what it needs only when it runs. */
import { Command, InvalidArgumentError } from 'commander';
import { requireOptional } from './optional-dependencies.ts';
import { packageVersion } from './package-version.ts';

const program = new Command('mikro-multi-account')
  .description('Tools for mikro-multi-account.')
  .version(packageVersion(), '-V, --version', 'print the version of mikro-multi-account');

program
  .command('verify')
  .description(
    'check the multi-account decorators of a TypeScript project, as the ts-patch plugin does, without ts-patch',
  )
  .option('-p, --project <path>', 'tsconfig.json, or the folder that holds it', 'tsconfig.json')
  .option('--pretty', 'colours and source context (default: when printing to a terminal)')
  .action(async (options: { project: string; pretty?: boolean }) => {
    // The app's own TypeScript: the checks run on the compiler the project builds with.
    const { verifyProject } = await requireOptional('verify', ['typescript'], () => import('./verify.ts'));
    process.exitCode = verifyProject(options.project, options.pretty ? { pretty: true } : {});
  });

program
  .command('prune')
  .description(
    'delete expired and orphaned link rows and expired browser-session records, in bounded batches, ' +
      'and report how many',
  )
  .option('-c, --config <path>', 'module whose default export is your MikroORM config', 'mikro-orm.config.js')
  .option('--batch-size <rows>', 'rows deleted per statement', positiveInteger, 1000)
  .action(async (options: { config: string; batchSize: number }) => {
    const { pruneCommand } = await import('./prune.ts');
    process.exitCode = await pruneCommand(options);
  });

program
  .command('install')
  .description(
    'add mikro-multi-account to this app: entities, MikroORM config, Koa middleware and routes ' +
      '(koa-passport aware), putUserId, exact MikroORM versions',
  )
  .option(
    '--user <path>',
    'the user entity file (default: an @Entity class named User, Account, Member, Person or Customer)',
  )
  .option(
    '--linked-account <path>',
    'the link entity file to create or patch (default: linked-account.ts next to the user entity)',
  )
  .option('--config <path>', 'the file of the MikroORM config (default: the file with an `entities: [...]` option)')
  .option('--app <path>', 'the file that creates the Koa app (default: the file with `new Koa()`)')
  .option('--tsconfig <path>', "the project's tsconfig.json", 'tsconfig.json')
  .option('--dry-run', 'print a unified diff and write nothing')
  .option('--force', 'run even when the git work tree has uncommitted changes')
  .action(
    async (options: {
      user?: string;
      linkedAccount?: string;
      config?: string;
      app?: string;
      tsconfig: string;
      dryRun?: boolean;
      force?: boolean;
    }) => {
      const { installCommand } = await requireOptional('install', ['ts-morph', 'diff'], () => import('./install.ts'));
      process.exitCode = await installCommand(options);
    },
  );

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('expected a positive integer.');
  return number;
}

await program.parseAsync();
