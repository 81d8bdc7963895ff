/**
 * Names and clean-up of an export's temporary files. An export is written to `.<name>.<pid>.partial`
 * in the target folder (0600) and renamed when complete. A process killed mid-export cannot delete
 * its file, so every export first removes the partial files in its folder whose process is gone.
 * The pid in the name keeps a running export of another process (another profile) safe from that.
 */
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Export temporaries: the final name's extension, an optional role, an optional pid, `.partial`. */
const PARTIAL = /^\..+\.(pst|vcf|csv|zip)(\.[a-z]+)?(\.(\d+))?\.partial$/i;

/** Partial files this process is writing now (never removed as stale). */
const active = new Set<string>();

/** The temporary name for `path` (with a role such as `scratch` for a second file of one export). */
export function partialPath(path: string, role?: string): string {
  return join(dirname(path), `.${basename(path)}${role ? `.${role}` : ''}.${process.pid}.partial`);
}

/** Marks a partial file as in use by this process until the returned function is called. */
export function holdPartial(path: string): () => void {
  active.add(path);
  return () => active.delete(path);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the export temporaries in `folder` left by dead processes (or by this one, when not in
 * use). Returns the names removed. A folder that cannot be read is left alone.
 */
export async function removeStalePartials(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = PARTIAL.exec(name);
    if (!match) continue;
    const path = join(folder, name);
    const pid = match[4] ? Number(match[4]) : undefined;
    if (active.has(path)) continue;
    if (pid !== undefined && pid !== process.pid && processAlive(pid)) continue;
    await rm(path, { force: true });
    removed.push(name);
  }
  return removed;
}
