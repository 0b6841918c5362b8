import { InstallError } from '../install/install-error.ts';
import { install, type InstallOptions } from '../install/installer.ts';
import { uncommittedChanges } from '../install/git.ts';

/** `npx mikro-multi-account install`: runs the codemod and prints what changed and what is left to do. */
export async function installCommand(
  options: Omit<InstallOptions, 'cwd'> & { force?: boolean },
  write: (text: string) => unknown = text => process.stdout.write(text),
): Promise<number> {
  const cwd = process.cwd();
  const dirty = uncommittedChanges(cwd);
  if (dirty.length > 0 && !options.force && !options.dryRun) {
    const files = `${dirty.length} ${dirty.length === 1 ? 'file' : 'files'}`;
    write(
      `error: the git work tree has uncommitted changes (${files} besides package.json and the lockfile). ` +
        "Commit or stash them first, so the installer's changes can be reviewed on their own, or pass --force.\n",
    );
    return 1;
  }
  try {
    const report = await install({ ...options, cwd });
    if (options.dryRun) write(report.diff || 'Nothing to change.\n');
    else if (report.changedFiles.length === 0) write('Nothing to change: mikro-multi-account is already installed.\n');
    else write(`Changed:\n${report.changedFiles.map(file => `  ${file}`).join('\n')}\n`);
    if (report.nextSteps.length > 0) {
      const where = (step: (typeof report.nextSteps)[number]) =>
        step.file ? `${step.file}${step.line ? `:${step.line}` : ''}: ` : '';
      write(`\nNext steps:\n${report.nextSteps.map(step => `  - ${where(step)}${step.message}`).join('\n')}\n`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof InstallError)) throw error;
    write(`error: ${error.message}\n`);
    return 1;
  }
}
