/**
 * `check`: verifies the catalog against vault.json (missing, damaged or rolled back), every sealed
 * file's authentication tag, that every segment the catalog names is there and opens, and that
 * every photo a revision references is there and opens; reports leftovers (segments nothing
 * references, retired segments, temp files, photos no contact uses) and files moved aside.
 *
 * It reads one segment at a time and never builds the in-memory history, so it runs on a profile
 * whose history is too damaged (or too large) to load. `repair` rebuilds a missing, damaged or
 * rolled-back catalog from the segments found, and removes leftovers only: never data a snapshot
 * uses, and nothing at all in a run where the catalog had to be rebuilt or a segment is unreadable.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Vault } from '../vault/vault';
import { openBytes } from '../vault/sealed-file';
import { HistoryStore } from './history-store';
import { CATALOG, PREVIOUS_CATALOG, rebuildCatalog } from './catalog-guard';
import { removeRetiredSegments, writerAlive } from './leftovers';
import { decodeSegment, segmentIdOf } from './segment-codec';
import { VaultError } from '../vault/errors';
import { count } from '../plural';

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

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

export async function checkVault(
  vault: Vault,
  opened: HistoryStore,
  options: { repair?: boolean; signal?: AbortSignal; progress?: (done: number, total: number) => void } = {},
): Promise<CheckResult> {
  const problems: CheckProblem[] = [];
  let repaired = 0;
  const where = (path: string) => relative(vault.folder, path);
  let store = opened;
  let rebuilt = false;
  if (store.catalogProblem) {
    problems.push({
      severity: 'error',
      where: 'db/catalog.cbs',
      what: store.catalogProblem.message,
      repairable: true,
    });
    if (options.repair) {
      const result = await rebuildCatalog(vault);
      rebuilt = true;
      repaired += 1;
      problems.push({
        severity: 'warning',
        where: 'db/catalog.cbs',
        what: `Rebuilt the catalog from ${result.basedOn === 'nothing' ? 'the backup data files' : `the ${result.basedOn} catalog and the backup data files`}: ${count(result.snapshotsKept, 'backup')} kept, ${result.snapshotsRecovered} recovered. Nothing was deleted.`,
        repairable: false,
      });
      store = await HistoryStore.open(vault, { catalogOnly: true });
    }
  }
  const dbFolder = join(vault.folder, 'db');
  const files = await listFiles(dbFolder);
  const blobIds = await vault.blobs.list();
  const total = files.length + blobIds.length;
  let done = 0;
  const catalog = store.catalogData();
  const referencedSegments = new Set(catalog.snapshots.flatMap((snapshot) => snapshot.segments));
  const retired = new Set(catalog.retired ?? []);
  const trusted = !store.catalogProblem && !rebuilt;
  const referencedPhotos = new Set<string>();
  let unreadableSegment = false;
  const present = new Set<string>();
  for (const path of files) {
    options.signal?.throwIfAborted();
    const name = relative(dbFolder, path).replace(/\\/g, '/');
    if (/\.(tmp|partial)$/.test(name)) {
      if (writerAlive(path)) continue;
      problems.push({
        severity: 'warning',
        where: where(path),
        what: 'A leftover temporary file.',
        repairable: true,
      });
      if (options.repair) {
        await rm(path, { force: true });
        repaired += 1;
      }
      continue;
    }
    if (!name.endsWith('.cbs')) {
      problems.push({
        severity: 'warning',
        where: where(path),
        what: 'A file that is not part of the backup.',
        repairable: false,
      });
      continue;
    }
    const logical = name.slice(0, -4);
    const segmentId = segmentIdOf(logical);
    if (segmentId) present.add(segmentId);
    let plain: Buffer | undefined;
    try {
      // The previous catalog is a raw copy: sealed under the catalog's name.
      plain = openBytes(
        vault.fileKey(),
        logical === PREVIOUS_CATALOG ? CATALOG : logical,
        await readFile(path),
      );
    } catch (error) {
      if (segmentId) unreadableSegment = true;
      const needed = segmentId && referencedSegments.has(segmentId);
      const side = !segmentId && logical !== CATALOG && logical !== PREVIOUS_CATALOG;
      problems.push({
        severity: segmentId && !needed ? 'warning' : 'error',
        where: where(path),
        what: `${(error as Error).message}${side ? ' It is moved aside with a warning when the profile opens.' : ''}`,
        repairable: false,
      });
    }
    if (segmentId && plain) {
      try {
        // The whole file is parsed, contacts too: a contact that cannot be read is a damaged file.
        const segment = decodeSegment(plain, logical, segmentId);
        if (referencedSegments.has(segmentId)) {
          for (const put of segment.puts) if (put.contact.photo) referencedPhotos.add(put.contact.photo.hash);
        }
      } catch (error) {
        unreadableSegment = true;
        problems.push({
          severity: 'error',
          where: where(path),
          what: error instanceof VaultError ? error.message : 'Holds data that is not valid JSON.',
          repairable: false,
        });
      }
    }
    if (segmentId && !referencedSegments.has(segmentId)) {
      const isRetired = retired.has(segmentId);
      problems.push({
        severity: 'warning',
        where: where(path),
        what: isRetired
          ? 'A backup data file replaced by a deletion or retention run (still holds what was removed).'
          : 'A backup data file that no backup uses (left by an interrupted backup).',
        repairable: trusted,
      });
      if (options.repair && trusted && !isRetired) {
        await store.removeSegmentFile(segmentId);
        repaired += 1;
      }
    }
    options.progress?.((done += 1), total);
  }
  if (options.repair && trusted) repaired += await removeRetiredSegments(store);
  for (const snapshot of catalog.snapshots) {
    for (const segmentId of snapshot.segments) {
      if (!present.has(segmentId)) {
        unreadableSegment = true;
        problems.push({
          severity: 'error',
          where: `db/segments/${segmentId}.cbs`,
          what: `Missing: the backup of ${snapshot.finishedAt} needs this file. Other backups are not affected.`,
          repairable: false,
        });
      }
    }
  }
  // Photos are judged only when every segment could be read: a damaged one may reference some.
  const photosKnown = trusted && !unreadableSegment;
  const blobsPresent = new Set(blobIds);
  for (const id of blobIds) {
    options.signal?.throwIfAborted();
    const path = `blobs/${id.slice(0, 2)}/${id}`;
    if (!referencedPhotos.has(id) && photosKnown) {
      problems.push({
        severity: 'warning',
        where: path,
        what: 'A photo that no contact uses.',
        repairable: true,
      });
      if (options.repair) {
        await vault.blobs.delete(id);
        repaired += 1;
      }
    } else {
      try {
        await vault.blobs.get(id);
      } catch (error) {
        problems.push({ severity: 'error', where: path, what: (error as Error).message, repairable: false });
      }
    }
    options.progress?.((done += 1), total);
  }
  for (const id of referencedPhotos) {
    if (!blobsPresent.has(id)) {
      problems.push({
        severity: 'error',
        where: `blobs/${id.slice(0, 2)}/${id}`,
        what: 'Missing: a contact’s photo.',
        repairable: false,
      });
    }
  }
  for (const stray of await vault.blobs.strayFiles()) {
    if (writerAlive(stray)) continue;
    problems.push({
      severity: 'warning',
      where: `blobs/${stray}`,
      what: 'A leftover temporary file.',
      repairable: true,
    });
    if (options.repair) {
      await rm(join(vault.folder, 'blobs', stray), { force: true });
      repaired += 1;
    }
  }
  for (const path of await listFiles(join(vault.folder, 'damaged'))) {
    problems.push({
      severity: 'warning',
      where: where(path),
      what: 'A damaged file moved aside when the profile opened (kept for a specialist; the profile works without it).',
      repairable: false,
    });
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
  return { filesChecked: files.length, blobsChecked: blobIds.length, problems, repaired };
}
