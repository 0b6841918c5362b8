/**
 * Loads a command's module, whose heavy dependencies (TypeScript, ts-morph) are optional peers: an app installs
 * them only for the commands it runs. When one is missing, the command says which to install and exits 1.
 */
export async function requireOptional<Module>(
  command: string,
  packages: string[],
  load: () => Promise<Module>,
): Promise<Module> {
  // Each package on its own: one import that fails names only the first missing one.
  const missing: string[] = [];
  for (const name of packages) {
    try {
      await import(name);
    } catch (error) {
      if (!isMissingPackage(error, name)) throw error;
      missing.push(name);
    }
  }
  if (missing.length > 0) {
    process.stderr.write(
      `error: \`mikro-multi-account ${command}\` needs ${packages.join(' and ')}, which this app does not have ` +
        `(missing: ${missing.join(', ')}).\n` +
        `Install ${missing.length > 1 ? 'them' : 'it'} for development: npm install --save-dev ${missing.join(' ')}\n`,
    );
    process.exit(1);
  }
  return load();
}

function isMissingPackage(error: unknown, name: string): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${name}'`);
}
