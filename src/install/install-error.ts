/** A reason the installer stops without changing anything: the CLI prints its message and exits with 1. */
export class InstallError extends Error {
  override readonly name = 'InstallError';
}
