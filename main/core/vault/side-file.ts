/**
 * Side files (the job list, the audit log, settings): losing one is a nuisance, never a reason to
 * keep a person from their backups. One that fails its integrity check is moved aside to the
 * profile's `damaged/` folder (kept for a specialist, never deleted) and opened fresh with its
 * defaults; the caller warns the user. Files of a newer format are not moved: a newer version of
 * the app may still need them, so they fail as before.
 */
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Low } from 'lowdb';
import type { Vault } from './vault';
import { VaultError } from './errors';

export interface MovedAside {
  readonly name: string;
  /** Path relative to the profile folder. */
  readonly movedTo: string;
  readonly reason: string;
}

export async function openSideDatabase<T>(
  vault: Vault,
  name: string,
  defaults: T,
  movedAside: (moved: MovedAside) => void,
): Promise<Low<T>> {
  try {
    return await vault.database<T>(name, defaults);
  } catch (error) {
    if (!(error instanceof VaultError) || (error.code !== 'tampered' && error.code !== 'truncated'))
      throw error;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const target = join('damaged', `${name}-${stamp}.cbs`);
    await mkdir(join(vault.folder, 'damaged'), { recursive: true, mode: 0o700 });
    await rename(vault.pathOf(name), join(vault.folder, target));
    movedAside({ name, movedTo: target, reason: error.message });
    return vault.database<T>(name, defaults);
  }
}
