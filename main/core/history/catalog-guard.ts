/**
 * The catalog is the commit point of the history, so losing it or getting an older copy back must
 * never pass as "an empty or older history" (and must never lead `check --repair` to delete the
 * newer data files as leftovers). Every write raises the catalog's generation and records it in
 * vault.json under a MAC (vault.ts); opening compares the two. The copy before the last write is
 * kept as `catalog-previous.cbs`. `rebuildCatalog` makes a new catalog from what is on disk.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { Vault } from '../vault/vault';
import { openBytes, readSealedJson, SealedJsonAdapter, writeFileAtomic } from '../vault/sealed-file';
import { VaultError } from '../vault/errors';
import { emptyCatalog, type AppliedSegment, type CatalogFile, type SnapshotRecord } from './types';
import { decodeSegmentSummary, segmentName } from './segment-codec';

export const CATALOG = 'catalog';
/** The catalog as it was before the last write (sealed under the name "catalog": a raw copy). */
export const PREVIOUS_CATALOG = 'catalog-previous';

export interface CatalogProblem {
  readonly code: 'missing' | 'rolled-back' | 'tampered';
  readonly message: string;
}

const REPAIR_HINT =
  ' Run `contacts-backup check --repair` to rebuild it from the backup data files found (nothing is deleted), or put back a copy of the profile folder.';

/** The segment files on disk (ids), whether or not a catalog names them. */
export async function segmentIdsOnDisk(vault: Vault): Promise<string[]> {
  const names = await readdir(join(vault.folder, 'db', 'segments')).catch(() => [] as string[]);
  return names.filter((name) => /^[a-z0-9_-]+\.cbs$/.test(name)).map((name) => name.slice(0, -4));
}

function validCatalog(data: CatalogFile): boolean {
  return (
    data?.version === 1 &&
    Array.isArray(data.snapshots) &&
    typeof data.cursors === 'object' &&
    data.cursors !== null &&
    Array.isArray(data.retired ?? [])
  );
}

/**
 * Opens the catalog and checks it against vault.json. A missing, damaged or older catalog is an
 * error naming itself; with `tolerate` (only `check`) it is returned as a problem with an empty
 * catalog instead, which must not be written.
 */
export async function openCatalog(
  vault: Vault,
  options: { tolerate?: boolean } = {},
): Promise<{ catalog: Low<CatalogFile>; problem?: CatalogProblem }> {
  let expected: number;
  try {
    expected = await vault.catalogGeneration();
  } catch (error) {
    // A changed MAC in vault.json: the catalog cannot be vouched for; `check --repair` rewrites it.
    if (!options.tolerate || !(error instanceof VaultError)) throw error;
    const catalog = new Low<CatalogFile>(
      new SealedJsonAdapter<CatalogFile>(vault.fileKey(), vault.pathOf(CATALOG), CATALOG),
      emptyCatalog(),
    );
    return { catalog, problem: { code: 'tampered', message: error.message } };
  }
  const catalog = new Low<CatalogFile>(
    new SealedJsonAdapter<CatalogFile>(vault.fileKey(), vault.pathOf(CATALOG), CATALOG),
    emptyCatalog(),
  );
  let problem: CatalogProblem | undefined;
  try {
    const data = await readSealedJson<CatalogFile>(vault.fileKey(), vault.pathOf(CATALOG), CATALOG);
    if (!data) {
      const segments = (await segmentIdsOnDisk(vault)).length;
      if (expected > 0 || segments > 0) {
        problem = {
          code: 'missing',
          message: `The backup catalog (db/catalog.cbs) is missing, but this profile has saved backups (${segments} backup data file${segments === 1 ? '' : 's'}).`,
        };
      }
    } else if (!validCatalog(data)) {
      problem = {
        code: 'tampered',
        message: 'The backup catalog (db/catalog.cbs) does not have the expected shape.',
      };
    } else {
      data.retired ??= [];
      const generation = data.generation ?? 0;
      if (generation < expected) {
        problem = {
          code: 'rolled-back',
          message: `The backup catalog (db/catalog.cbs) is older than the one last saved (generation ${generation}, expected ${expected}): it was replaced by an older copy.`,
        };
      } else {
        catalog.data = data;
        // Written after the catalog: a crash in between leaves vault.json one step behind.
        if (generation > expected) await vault.setCatalogGeneration(generation).catch(() => undefined);
      }
    }
  } catch (error) {
    if (!(error instanceof VaultError) || error.code === 'io' || error.code === 'disk-full') throw error;
    problem = {
      code: 'tampered',
      message: `The backup catalog (db/catalog.cbs) is damaged: ${error.message}`,
    };
  }
  if (problem && !options.tolerate) {
    throw new VaultError(
      problem.code === 'tampered' ? 'tampered' : problem.code,
      problem.message + REPAIR_HINT,
    );
  }
  return { catalog, problem };
}

/**
 * Writes the catalog one generation up: the current file is kept as the previous copy, then the
 * catalog is written, then vault.json records the generation.
 */
export async function writeCatalog(vault: Vault, catalog: Low<CatalogFile>): Promise<void> {
  const current = await readFile(vault.pathOf(CATALOG)).catch(() => undefined);
  if (current) await writeFileAtomic(vault.pathOf(PREVIOUS_CATALOG), current);
  const generation = (catalog.data.generation ?? 0) + 1;
  catalog.data.generation = generation;
  try {
    await catalog.write();
  } catch (error) {
    catalog.data.generation = generation - 1;
    throw error;
  }
  // If this fails the catalog is one step ahead of vault.json, which opening accepts and mends.
  await vault.setCatalogGeneration(generation).catch(() => undefined);
}

export interface RebuildResult {
  readonly snapshotsKept: number;
  readonly snapshotsRecovered: number;
  /** Segment files that could not be read (left on disk, reported). */
  readonly unreadable: string[];
  readonly basedOn: 'current' | 'previous' | 'nothing';
}

async function readCatalogFile(vault: Vault, name: string): Promise<CatalogFile | undefined> {
  try {
    const data = await readSealedJson<CatalogFile>(vault.fileKey(), vault.pathOf(name), CATALOG);
    return data && validCatalog(data) ? { ...data, retired: data.retired ?? [] } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes a catalog from what is on disk: the readable catalog (the current one, else the previous
 * copy) keeps its snapshots, and every segment file it does not name becomes part of a recovered
 * snapshot (grouped by the snapshot id each segment carries, dated by the file's time). Segments the
 * catalog listed as retired stay out. Sync cursors of users with recovered snapshots are dropped, so
 * their next backup reads everything again. Deletes nothing.
 */
export async function rebuildCatalog(vault: Vault): Promise<RebuildResult> {
  const current = await readCatalogFile(vault, CATALOG);
  const previous = current ? undefined : await readCatalogFile(vault, PREVIOUS_CATALOG);
  const base = current ?? previous ?? emptyCatalog();
  const basedOn = current ? 'current' : previous ? 'previous' : 'nothing';
  const referenced = new Set(base.snapshots.flatMap((snapshot) => snapshot.segments));
  const retired = new Set(base.retired);
  const knownSnapshots = new Set(base.snapshots.map((snapshot) => snapshot.id));
  const groups = new Map<
    string,
    { userKey: string; segments: { id: string; at: number }[]; puts: number; deletes: number }
  >();
  const unreadable: string[] = [];
  const rewritten = new Map<string, string[]>();
  const onDisk = await segmentIdsOnDisk(vault);
  const present = new Set(onDisk);
  for (const segmentId of onDisk) {
    if (referenced.has(segmentId) || retired.has(segmentId)) continue;
    const name = segmentName(segmentId);
    let segment: AppliedSegment | undefined;
    try {
      const plain = openBytes(vault.fileKey(), name, await readFile(vault.pathOf(name)));
      segment = decodeSegmentSummary(plain, name, segmentId);
    } catch {
      segment = undefined;
    }
    if (!segment || typeof segment.snapshotId !== 'string') {
      unreadable.push(segmentId);
      continue;
    }
    // A rewritten segment of a snapshot the catalog has (written by a deletion or retention run):
    // it replaces that snapshot's segments only where those are gone.
    if (knownSnapshots.has(segment.snapshotId)) {
      rewritten.set(segment.snapshotId, [...(rewritten.get(segment.snapshotId) ?? []), segmentId]);
      continue;
    }
    const at = (await stat(vault.pathOf(name))).mtimeMs;
    const group = groups.get(segment.snapshotId) ?? {
      userKey: segment.userKey,
      segments: [],
      puts: 0,
      deletes: 0,
    };
    group.segments.push({ id: segmentId, at });
    group.puts += segment.puts.length;
    group.deletes += segment.deletes.length;
    groups.set(segment.snapshotId, group);
  }
  const recovered = [...groups.entries()]
    .map(([id, group]) => ({ id, ...group, at: Math.max(...group.segments.map((segment) => segment.at)) }))
    .sort((a, b) => a.at - b.at);
  let seq = base.snapshots.at(-1)?.seq ?? 0;
  const snapshots: SnapshotRecord[] = base.snapshots.map((snapshot) => {
    const replacements = rewritten.get(snapshot.id);
    if (!replacements || snapshot.segments.every((id) => present.has(id))) return snapshot;
    return { ...snapshot, segments: [...snapshot.segments.filter((id) => present.has(id)), ...replacements] };
  });
  const cursors = { ...base.cursors };
  for (const group of recovered) {
    const first = Math.min(...group.segments.map((segment) => segment.at));
    snapshots.push({
      id: group.id,
      seq: (seq += 1),
      userKey: group.userKey,
      kind: 'incremental',
      startedAt: new Date(first).toISOString(),
      finishedAt: new Date(group.at).toISOString(),
      counts: { added: group.puts, changed: 0, deleted: group.deletes, unchanged: 0 },
      segments: group.segments.sort((a, b) => a.at - b.at).map((segment) => segment.id),
    });
    delete cursors[group.userKey];
  }
  const recorded = await vault.catalogGeneration().catch(() => 0);
  const generation = Math.max(base.generation ?? 0, recorded);
  const catalog = new Low<CatalogFile>(
    new SealedJsonAdapter<CatalogFile>(vault.fileKey(), vault.pathOf(CATALOG), CATALOG),
    emptyCatalog(),
  );
  catalog.data = { version: 1, generation, snapshots, cursors, retired: base.retired };
  await writeCatalog(vault, catalog);
  return { snapshotsKept: base.snapshots.length, snapshotsRecovered: recovered.length, unreadable, basedOn };
}
