/**
 * What interrupted or failed runs leave behind, removed when a profile is opened (before any job
 * can start) and by `check`:
 * - segments a deletion or retention run replaced (the catalog's `retired` list; a run killed after
 *   its catalog write has not removed them yet, and they still hold the removed contacts);
 * - temporary files of atomic writes whose process is gone;
 * - photos no revision references (stored by a backup that then failed or was cancelled).
 * Photos are only removed when every segment could be read: a damaged segment may reference some.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Vault } from '../vault/vault';
import type { HistoryStore } from './history-store';
import { referencedBlobs } from './compaction';

export interface CleanUpReport {
  readonly retiredSegments: number;
  readonly temporaryFiles: number;
  readonly photos: number;
}

/** The writer of a temp file named `….PID.RANDOM.tmp` still runs (its write is in progress). */
export function writerAlive(path: string): boolean {
  const pid = /\.(\d+)\.[0-9a-f]{8,}\.tmp$/.exec(path)?.[1];
  if (!pid) return false;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temp files under the profile's db/ and blobs/ folders whose writer is gone. */
export async function staleTemporaryFiles(vault: Vault): Promise<string[]> {
  const found: string[] = [];
  for (const folder of [join(vault.folder, 'db'), join(vault.folder, 'blobs')]) {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile() || !/\.(tmp|partial)$/.test(entry.name)) continue;
      const path = join(entry.parentPath, entry.name);
      if (!writerAlive(path)) found.push(path);
    }
  }
  return found;
}

/** Removes the segment files the catalog lists as retired, then empties the list. */
export async function removeRetiredSegments(store: HistoryStore): Promise<number> {
  if (store.catalogProblem) return 0;
  return store.serialize(async () => {
    const catalog = store.catalogData();
    const retired = [...(catalog.retired ?? [])];
    if (!retired.length) return 0;
    const inUse = new Set(catalog.snapshots.flatMap((snapshot) => snapshot.segments));
    for (const segmentId of retired) if (!inUse.has(segmentId)) await store.removeSegmentFile(segmentId);
    catalog.retired = (catalog.retired ?? []).filter((id) => !retired.includes(id));
    await store.writeCatalog();
    return retired.length;
  });
}

export async function cleanUpAfterOpen(vault: Vault, store: HistoryStore): Promise<CleanUpReport> {
  const retiredSegments = await removeRetiredSegments(store);
  let temporaryFiles = 0;
  for (const path of await staleTemporaryFiles(vault)) {
    await rm(path, { force: true });
    temporaryFiles += 1;
  }
  let photos = 0;
  if (store.loaded && !store.damaged.length && !store.catalogProblem) {
    const referenced = referencedBlobs(store);
    for (const id of await vault.blobs.list()) {
      if (referenced.has(id)) continue;
      await vault.blobs.delete(id);
      photos += 1;
    }
  }
  return { retiredSegments, temporaryFiles, photos };
}
