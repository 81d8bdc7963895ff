/**
 * `check`: verifies every sealed file's authentication tag, that every segment the catalog names is
 * there and opens, and that every photo a revision references is there and opens; reports orphans
 * (segments and photos nothing references, temp files left by a crash). `repair` removes orphans
 * only: it never touches data that is referenced.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Vault } from '../vault/vault';
import { openBytes } from '../vault/sealed-file';
import type { HistoryStore } from './history-store';
import { referencedBlobs } from './compaction';

export interface CheckProblem {
  readonly severity: 'error' | 'warning';
  /** Path relative to the profile folder. */
  readonly where: string;
  readonly what: string;
  readonly repairable: boolean;
}

export interface CheckResult {
  readonly filesChecked: number;
  readonly blobsChecked: number;
  readonly problems: CheckProblem[];
  readonly repaired: number;
}

/** A temp file of an atomic write that is still in progress (its writer process is alive). */
function inProgressTemp(path: string): boolean {
  const pid = /\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(path)?.[1];
  if (!pid) return false;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
}

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

export async function checkVault(
  vault: Vault,
  store: HistoryStore,
  options: { repair?: boolean; signal?: AbortSignal; progress?: (done: number, total: number) => void } = {},
): Promise<CheckResult> {
  const problems: CheckProblem[] = [];
  const where = (path: string) => relative(vault.folder, path);
  const dbFolder = join(vault.folder, 'db');
  const files = await listFiles(dbFolder);
  const blobIds = await vault.blobs.list();
  const total = files.length + blobIds.length;
  let done = 0;
  const orphanSegments = new Set(await store.orphanSegments());
  for (const path of files) {
    options.signal?.throwIfAborted();
    const name = relative(dbFolder, path).replace(/\\/g, '/');
    if (inProgressTemp(path)) continue;
    if (!name.endsWith('.cbs')) {
      problems.push({
        severity: 'warning',
        where: where(path),
        what: 'A leftover temporary file.',
        repairable: true,
      });
      if (options.repair) await rm(path, { force: true });
      continue;
    }
    const logical = name.slice(0, -4);
    try {
      openBytes(vault.fileKey(), logical, await readFile(path));
    } catch (error) {
      problems.push({
        severity: 'error',
        where: where(path),
        what: (error as Error).message,
        repairable: false,
      });
    }
    const segmentId = logical.startsWith('segments/') ? logical.slice('segments/'.length) : undefined;
    if (segmentId && orphanSegments.has(segmentId)) {
      problems.push({
        severity: 'warning',
        where: where(path),
        what: 'A backup data file that no backup uses (left by an interrupted backup).',
        repairable: true,
      });
      if (options.repair) await store.removeSegmentFile(segmentId);
    }
    options.progress?.((done += 1), total);
  }
  for (const snapshot of store.snapshots) {
    for (const segmentId of snapshot.segments) {
      if (!files.some((path) => path.endsWith(`${segmentId}.cbs`))) {
        problems.push({
          severity: 'error',
          where: `db/segments/${segmentId}.cbs`,
          what: `Missing: the backup of ${snapshot.finishedAt} needs this file.`,
          repairable: false,
        });
      }
    }
  }
  const referenced = referencedBlobs(store);
  const present = new Set(blobIds);
  for (const id of blobIds) {
    options.signal?.throwIfAborted();
    const path = `blobs/${id.slice(0, 2)}/${id}`;
    if (!referenced.has(id)) {
      problems.push({
        severity: 'warning',
        where: path,
        what: 'A photo that no contact uses.',
        repairable: true,
      });
      if (options.repair) await vault.blobs.delete(id);
    } else {
      try {
        await vault.blobs.get(id);
      } catch (error) {
        problems.push({ severity: 'error', where: path, what: (error as Error).message, repairable: false });
      }
    }
    options.progress?.((done += 1), total);
  }
  for (const id of referenced) {
    if (!present.has(id)) {
      problems.push({
        severity: 'error',
        where: `blobs/${id.slice(0, 2)}/${id}`,
        what: 'Missing: a contact’s photo.',
        repairable: false,
      });
    }
  }
  for (const stray of await vault.blobs.strayFiles()) {
    problems.push({
      severity: 'warning',
      where: `blobs/${stray}`,
      what: 'A leftover temporary file.',
      repairable: true,
    });
    if (options.repair) await rm(join(vault.folder, 'blobs', stray), { force: true });
  }
  const vaultKeyFile = join(vault.folder, 'vault.json');
  try {
    JSON.parse(await readFile(vaultKeyFile, 'utf8'));
  } catch {
    problems.push({
      severity: 'error',
      where: 'vault.json',
      what: 'The key file is damaged.',
      repairable: false,
    });
  }
  const repaired = options.repair ? problems.filter((problem) => problem.repairable).length : 0;
  return { filesChecked: files.length, blobsChecked: blobIds.length, problems, repaired };
}
