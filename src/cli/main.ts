#!/usr/bin/env node
/** `npx mikro-multi-account <command>`. */
import { Command } from 'commander';
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

await program.parseAsync();
