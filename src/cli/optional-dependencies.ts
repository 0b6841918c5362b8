/**
 * Loads a command's module, whose heavy dependencies (TypeScript, ts-morph) are optional peers: an app installs
 * them only for the commands it runs. When one is missing, the command says which to install and exits 1.
 */
export async function requireOptional<Module>(
  command: string,
  packages: string[],
  load: () => Promise<Module>,
): Promise<Module> {
  try {
    return await load();
  } catch (error) {
    const missing = packages.filter(name => isMissingPackage(error, name));
    if (missing.length === 0) throw error;
    process.stderr.write(
      `error: \`mikro-multi-account ${command}\` needs ${packages.join(' and ')}, which this app does not have ` +
        `(missing: ${missing.join(', ')}).\n` +
        `Install ${packages.length > 1 ? 'them' : 'it'} for development: ` +
        `npm install --save-dev ${packages.join(' ')}\n`,
    );
    process.exit(1);
  }
}

function isMissingPackage(error: unknown, name: string): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${name}'`);
}
