import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MikroORM, type Options } from '@mikro-orm/core';
import { pruneLinkedAccounts } from '../actions/prune.ts';
import { withMultiAccount } from '../transformers/with-multi-account.ts';

/**
 * `mikro-multi-account prune --config mikro-orm.config.js`: boots the app's MikroORM config (a module whose
 * default export is the options, or a function returning them) and deletes expired and orphaned link rows and
 * expired browser-session records.
 */
export async function pruneCommand(
  { config, batchSize }: { config: string; batchSize: number },
  write: (text: string) => unknown = text => process.stdout.write(text),
): Promise<number> {
  const path = resolve(config);
  if (!existsSync(path)) {
    write(`error: cannot find the MikroORM config ${path}. Pass it with --config path/to/mikro-orm.config.js.\n`);
    return 1;
  }
  const exported = (await import(pathToFileURL(path).href)).default as
    | Partial<Options>
    | (() => Partial<Options> | Promise<Partial<Options>>);
  const options = typeof exported === 'function' ? await exported() : exported;
  if (!options || typeof options !== 'object') {
    write(`error: ${path} must export the MikroORM options as its default export.\n`);
    return 1;
  }
  const orm = await MikroORM.init(withMultiAccount(options) as Options);
  try {
    const { expired, orphaned, sessions } = await pruneLinkedAccounts(orm.em.fork(), { batchSize });
    write(
      `Deleted ${expired} expired and ${orphaned} orphaned link rows, ` +
        `and ${sessions} expired browser-session records.\n`,
    );
    return 0;
  } finally {
    await orm.close();
  }
}
