/**
 * Expected vault failures, as data the API can pass to the user (style.md: errors are not exceptions).
 * Each code maps to one sentence in the user-visible strings; the message here is for logs and the CLI.
 */
export type VaultErrorCode =
  | 'wrong-password'
  | 'tampered'
  | 'truncated'
  | 'unsupported-version'
  | 'not-found'
  | 'exists'
  | 'locked'
  | 'disk-full'
  | 'too-many-attempts'
  | 'weak-password'
  | 'rolled-back'
  | 'missing'
  | 'io';

export class VaultError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

/** Turns low-level file errors into VaultErrors with a sentence a person understands. */
export function vaultIoError(error: unknown, what: string): VaultError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new VaultError('disk-full', `The disk is full: could not write ${what}. Nothing was changed.`);
  }
  if (code === 'ENOENT') return new VaultError('not-found', `${what} does not exist.`);
  if (code === 'EACCES' || code === 'EPERM') {
    return new VaultError('io', `No permission to write ${what}.`);
  }
  return new VaultError('io', `Could not access ${what}: ${(error as Error)?.message ?? String(error)}`);
}
