/**
 * One process at a time may write a profile's vault (the desktop app, the web host or a CLI command):
 * two writers would overwrite each other's catalog and job list. The lock file names the owner's
 * process; a lock left by a process that no longer runs (a crash, kill -9) is taken over.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { VaultError } from './errors';

interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the profile's write lock; resolves to the function that releases it. */
export async function lockProfile(folder: string): Promise<() => Promise<void>> {
  const path = join(folder, 'owner.lock');
  const mine: LockInfo = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(path, JSON.stringify(mine), { flag: 'wx', mode: 0o600 });
      return async () => {
        const current = await readFile(path, 'utf8').catch(() => '');
        if (current.includes(`"pid":${process.pid},`)) await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: LockInfo | undefined;
    try {
      holder = JSON.parse(await readFile(path, 'utf8')) as LockInfo;
    } catch {
      holder = undefined;
    }
    const held = holder && holder.pid !== process.pid && holder.host === hostname() && alive(holder.pid);
    if (held) {
      throw new VaultError(
        'locked',
        `This profile is open in another Contacts Backup process (pid ${holder!.pid}). Close it, or use that window.`,
      );
    }
    // Stale (its process is gone) or our own: take it over.
    await rm(path, { force: true });
  }
  throw new VaultError('locked', 'Could not take the profile lock.');
}

/**
 * Whether a live process holds the profile's write lock. Readers that do not take the lock
 * (`tasks --watch`) use it to tell a running job from one whose process died.
 */
export async function profileOwnerAlive(folder: string): Promise<boolean> {
  try {
    const holder = JSON.parse(await readFile(join(folder, 'owner.lock'), 'utf8')) as LockInfo;
    return holder.host !== hostname() || alive(holder.pid);
  } catch {
    return false;
  }
}
