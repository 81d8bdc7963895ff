/**
 * The history on disk: a sealed catalog (the commit point) plus write-once sealed segment files.
 * A backup writes its segments first and commits by adding its snapshot to the catalog; a crash
 * before that leaves only unreferenced segments, which `check` reports and removes. Nothing already
 * committed is rewritten except by an explicit deletion or retention run.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Low } from 'lowdb';
import type { Vault } from '../vault/vault';
import type { BlobStore } from '../vault/blob-store';
import { openBytes, openBytesOffThread, sealBytes, writeFileAtomic } from '../vault/sealed-file';
import { BoundedWork } from '../vault/bounded-work';
import { VaultError, vaultIoError } from '../vault/errors';
import { openCatalog, writeCatalog, type CatalogProblem } from './catalog-guard';
import { cleanUpAfterOpen, type CleanUpReport } from './leftovers';
import { ownCopy, type Contact, type ContactFolder } from '../contacts/model';
import { HistoryIndex } from './history-index';
import { SegmentContacts } from './segment-contacts';
import { decodeSegment, decodeSegmentSummary, encodeSegment, putSummary, segmentName } from './segment-codec';
import {
  catalogFingerprint,
  changesLists,
  firstScreenFrom,
  readFirstScreen,
  removeFirstScreen,
  writeFirstScreen,
  type FirstScreen,
} from './first-screen';
import { currentRows, ensureSearchables, type SortedRows } from './list-views';
import { readSearchTable, removeSearchTable, writeSearchTable, type SearchTable } from './search-table';
import { timeSlicer } from '../time-slice';
import {
  type CatalogFile,
  type PutRecord,
  type AppliedSegment,
  type PutSummary,
  type SegmentFile,
  type SnapshotCounts,
  type SnapshotKind,
  type SnapshotRecord,
  type UserKey,
} from './types';

/** Puts per segment file: bounds the memory of one write and of one read. */
const SEGMENT_PUTS = 2000;
/** Segments read (and inflated on the thread pool) ahead of the one applied, after unlocking. */
const READ_AHEAD = 3;
/** Segment writes in flight at once while a backup goes on reading. */
const SEGMENT_WRITES = 2;

/** Random bytes for ids, drawn 8 at a time: one `randomBytes` call per id cost 0.9 s at 100,000. */
const idPool = { bytes: Buffer.alloc(0), used: 0 };

export function newId(prefix: string): string {
  if (idPool.used + 8 > idPool.bytes.length) {
    idPool.bytes = randomBytes(8 * 4096);
    idPool.used = 0;
  }
  const id = idPool.bytes.toString('hex', idPool.used, idPool.used + 8);
  idPool.used += 8;
  return `${prefix}${id}`;
}

/** How long the first screen waits for the history to settle before it is saved again. */
const FIRST_SCREEN_DELAY_MS = 2000;

export interface HistoryOpenOptions {
  /**
   * Read the segments after `open` returns (the app's unlock: the first screen is answered from the
   * saved copy meanwhile). Callers must then `await ready()` before touching `index`.
   */
  readonly background?: boolean;
  /**
   * Open the catalog only, never the segments (`check`: it reads them one at a time itself). A
   * missing, damaged or rolled-back catalog is then reported in `catalogProblem`, not thrown.
   */
  readonly catalogOnly?: boolean;
  /** Where a problem that only costs speed is said (a damaged search table); the app's log. */
  readonly warn?: (message: string) => void;
}

/** A segment file that could not be read: only what needs it fails (see `assertReadable`). */
export interface DamagedSegment {
  readonly segmentId: string;
  readonly snapshotId: string;
  readonly userKey: UserKey;
  readonly finishedAt: string;
  readonly message: string;
}

export class HistoryStore {
  private current: HistoryIndex | undefined;
  private loading: Promise<void> = Promise.resolve();
  /** A committed snapshot being applied to `index` in steps; `ready()` waits for it too. */
  private applying: Promise<void> | undefined;
  private commitChain: Promise<unknown> = Promise.resolve();
  /** The saved first screen, while the history itself is still loading. */
  private savedFirstScreen: FirstScreen | undefined;
  private firstScreenTimer: NodeJS.Timeout | undefined;
  /** True while the saved first screen matches the catalog. */
  private firstScreenCurrent = false;
  /** The saved search table being read, while the history itself is still loading. */
  private savedSearchTable: Promise<SearchTable | undefined> | undefined;
  /** Set for the app's unlock: a backup builds each new revision's search text as it reads it. */
  private interactive = false;
  private warn: (message: string) => void = () => undefined;
  private closed = false;
  private damagedSegments: DamagedSegment[] = [];
  /** What the clean-up after opening removed (retired segments, leftovers, photos of failed runs). */
  cleanUpReport: CleanUpReport | undefined;

  /** Where versions read their contacts from (the index keeps none, see segment-contacts.ts). */
  readonly segmentContacts = new SegmentContacts(
    (segmentId) => this.openSegmentNow(segmentId),
    (segmentId) => this.openSegment(segmentId),
  );

  private constructor(
    private readonly vault: Vault,
    private readonly catalog: Low<CatalogFile>,
    /** Set only when opened with `catalogOnly`: the catalog cannot be trusted and is not written. */
    readonly catalogProblem?: CatalogProblem,
  ) {}

  /** Loads the catalog and every committed segment (or starts to, see `background`). */
  static async open(vault: Vault, options: HistoryOpenOptions = {}): Promise<HistoryStore> {
    const { catalog, problem } = await openCatalog(vault, { tolerate: options.catalogOnly });
    const store = new HistoryStore(vault, catalog, problem);
    if (options.catalogOnly) return store;
    if (options.warn) store.warn = options.warn;
    const fingerprint = catalogFingerprint(catalog.data.snapshots);
    const saved = await readFirstScreen(vault, fingerprint);
    store.firstScreenCurrent = saved !== undefined;
    if (!options.background) {
      await store.reload();
      await store.cleanUp();
      return store;
    }
    store.interactive = true;
    store.savedFirstScreen = saved;
    // Searches use it until the history is read (see below).
    store.savedSearchTable = saved
      ? readSearchTable(vault, fingerprint).catch((error: unknown) => {
          store.warn(
            `The saved search table was not used (${error instanceof Error ? error.message : String(error)}); searches wait for the history instead.`,
          );
          return undefined;
        })
      : undefined;
    // The table first: read beside the history, each slowed the other and the first search waited
    // 1.8 s at 100,000 contacts; read first, it answers while the history is read after it.
    const tableRead = store.savedSearchTable?.then(() => undefined) ?? Promise.resolve();
    // The clean-up is part of the load: jobs wait for ready(), so none stores a photo meanwhile.
    store.loading = tableRead
      .then(() => store.reload())
      .then(async () => {
        store.savedFirstScreen = undefined;
        store.savedSearchTable = undefined;
        await store.cleanUp();
      });
    // A failed load is reported to whoever awaits ready(); it must not crash the process meanwhile.
    store.loading.catch(() => undefined);
    return store;
  }

  /** The in-memory view; replaced as a whole after a purge, so readers never see half of one. */
  get index(): HistoryIndex {
    if (!this.current) throw new Error('The backup history is still being read; await ready() first.');
    return this.current;
  }

  /** True once every segment is read (always, unless opened in the background). */
  get loaded(): boolean {
    return this.current !== undefined;
  }

  /** Resolves when `index` can be used; rejects with the load's error (a damaged file, say). */
  ready(): Promise<void> {
    const applying = this.applying;
    return applying ? this.loading.then(() => applying) : this.loading;
  }

  /** The saved first screen, only while the history is loading and only if it matches the catalog. */
  firstScreen(): FirstScreen | undefined {
    return this.current ? undefined : this.savedFirstScreen;
  }

  /**
   * The saved search table, only while the history is loading and only if it matches the catalog;
   * resolves undefined as soon as the history is read, whichever comes first.
   */
  async searchTable(): Promise<SearchTable | undefined> {
    const table = this.current ? undefined : this.savedSearchTable;
    if (!table) return undefined;
    const loaded = this.loading.then(
      () => undefined,
      () => undefined,
    );
    const first = await Promise.race([table, loaded]);
    return this.current ? undefined : first;
  }

  get blobs(): BlobStore {
    return this.vault.blobs;
  }

  /**
   * Rebuilds the in-memory view from the committed catalog and segments. A segment that cannot be
   * read is left out and listed in `damaged`; every other snapshot stays browsable and restorable.
   */
  async reload(): Promise<void> {
    this.segmentContacts.clear();
    const index = new HistoryIndex(this.segmentContacts);
    const damaged: DamagedSegment[] = [];
    const segmentIds = this.catalog.data.snapshots.flatMap((snapshot) => snapshot.segments);
    // The next segments are read and inflated (on the thread pool) while this one is parsed and
    // applied: one at a time, a third of reading 100,000 contacts was spent waiting (issue 20);
    // with one ahead, inflating still left the thread idle two thirds of the time.
    const read = (position: number) =>
      position < segmentIds.length
        ? this.readSegmentSummary(segmentIds[position]!).then(
            (segment) => ({ segment }),
            (error: unknown) => ({ error }),
          )
        : undefined;
    const ahead = Array.from({ length: READ_AHEAD }, (_, position) => read(position));
    let position = 0;
    for (const snapshot of this.catalog.data.snapshots) {
      // Applied one segment at a time as it is read (the index is not visible until the end): in one
      // go, 100,000 contacts held the API thread for a few hundred milliseconds after unlocking.
      index.startSnapshot(snapshot);
      for (const segmentId of snapshot.segments) {
        const current = (await ahead.shift())!;
        ahead.push(read(position + READ_AHEAD));
        position += 1;
        try {
          if ('error' in current) throw current.error;
          index.applySegment(snapshot, current.segment);
        } catch (error) {
          if (!(error instanceof VaultError) || error.code === 'locked' || error.code === 'io') throw error;
          damaged.push({
            segmentId,
            snapshotId: snapshot.id,
            userKey: snapshot.userKey,
            finishedAt: snapshot.finishedAt,
            message: error.message,
          });
        }
      }
    }
    this.damagedSegments = damaged;
    this.current = index;
    if (!this.firstScreenCurrent) this.firstScreenChanged();
  }

  /** Segment files the last load could not read (empty when all is well). */
  get damaged(): readonly DamagedSegment[] {
    return this.damagedSegments;
  }

  /**
   * Fails when what a request needs is in a damaged segment: any backup of `userKey` up to `at`
   * (every one when `at` is not given). Other users and earlier moments still work.
   */
  assertReadable(userKey: UserKey, at?: string): void {
    const hit = this.damagedSegments.find(
      (segment) => segment.userKey === userKey && (!at || segment.finishedAt <= at),
    );
    if (hit) {
      throw new VaultError(
        'tampered',
        `Part of this user’s backup of ${hit.finishedAt} cannot be read (${hit.message}). Other users and backups still work; run \`contacts-backup check\` for details.`,
      );
    }
  }

  /** Removes what earlier runs left behind (see leftovers.ts); never fails the open. */
  private async cleanUp(): Promise<void> {
    this.cleanUpReport = await cleanUpAfterOpen(this.vault, this).catch(() => undefined);
  }

  /**
   * Saves the first screen a while after the last change. Called after every change to the
   * history; the old copy was already deleted before the change (see `dropFirstScreen`).
   */
  private firstScreenChanged(): void {
    if (this.closed) return;
    clearTimeout(this.firstScreenTimer);
    this.firstScreenTimer = setTimeout(
      () => void this.saveFirstScreen().catch(() => undefined),
      FIRST_SCREEN_DELAY_MS,
    );
    this.firstScreenTimer.unref();
  }

  /** Deletes the saved first screen before the catalog changes, so it never outlives its data. */
  private async dropFirstScreen(): Promise<void> {
    this.savedFirstScreen = undefined;
    this.savedSearchTable = undefined;
    this.firstScreenCurrent = false;
    await removeFirstScreen(this.vault);
    await removeSearchTable(this.vault);
  }

  private async saveFirstScreen(): Promise<void> {
    clearTimeout(this.firstScreenTimer);
    this.firstScreenTimer = undefined;
    await this.serialize(async () => {
      if (this.firstScreenCurrent || !this.current) return;
      const index = this.current;
      const fingerprint = catalogFingerprint(this.catalog.data.snapshots);
      // Built in time slices: at 100,000 contacts this is seconds of work the API thread shares.
      const pause = timeSlicer();
      const rowsByUser = new Map<UserKey, SortedRows>();
      for (const userKey of new Set(index.snapshots.map((snapshot) => snapshot.userKey))) {
        rowsByUser.set(userKey, await currentRows(index, new Set([userKey]), pause));
      }
      try {
        // The app searches these rows next, so their text is kept; the command line only writes
        // the table, a stretch of rows at a time (see searchableNow).
        if (this.interactive) for (const rows of rowsByUser.values()) await ensureSearchables(rows, pause);
        await writeSearchTable(this.vault, fingerprint, rowsByUser, pause);
      } catch (error) {
        // Without it the next unlock only waits longer for its first search.
        await removeSearchTable(this.vault).catch(() => undefined);
        this.warn(
          `The search table could not be saved (${error instanceof Error ? error.message : String(error)}).`,
        );
      }
      await writeFirstScreen(this.vault, await firstScreenFrom(index, rowsByUser, fingerprint, pause));
      this.firstScreenCurrent = true;
    });
  }

  /**
   * Saves a pending first screen and stops the timer; called before the vault locks. A load still
   * running is left to fail on the locked vault rather than waited for.
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.saveFirstScreen().catch(() => undefined);
    this.segmentContacts.clear();
  }

  get snapshots(): readonly SnapshotRecord[] {
    return this.catalog.data.snapshots;
  }

  cursor(userKey: UserKey): string | undefined {
    return this.catalog.data.cursors[userKey];
  }

  /** Forgets a sync cursor so the next backup is a full read (used after the source was reset). */
  async clearCursor(userKey: UserKey): Promise<void> {
    await this.serialize(async () => {
      delete this.catalog.data.cursors[userKey];
      await this.persistCatalog();
    });
  }

  /** Starts a snapshot; nothing is visible until `commit`. */
  begin(userKey: UserKey, kind: SnapshotKind, startedAt: Date): SnapshotWriter {
    // Without the damaged revisions a backup would take known contacts for new ones (duplicates).
    this.assertReadable(userKey);
    return new SnapshotWriter(this, userKey, kind, startedAt.toISOString());
  }

  segmentName(segmentId: string): string {
    return segmentName(segmentId);
  }

  /** The opened (decrypted, inflated on the thread pool) bytes of a segment file. */
  async openSegment(segmentId: string): Promise<Buffer> {
    const name = this.segmentName(segmentId);
    let file: Buffer;
    try {
      file = await readFile(this.vault.pathOf(name));
    } catch (error) {
      throw segmentReadError(error, segmentId, name);
    }
    return openBytesOffThread(this.vault.fileKey(), name, file);
  }

  /** `openSegment` without waiting: a version's contact is read when asked for. */
  openSegmentNow(segmentId: string): Buffer {
    const name = this.segmentName(segmentId);
    let file: Buffer;
    try {
      file = readFileSync(this.vault.pathOf(name));
    } catch (error) {
      throw segmentReadError(error, segmentId, name);
    }
    return openBytes(this.vault.fileKey(), name, file);
  }

  /** The whole segment, contacts in their puts (deletion and retention rewrite it). */
  async readSegment(segmentId: string): Promise<SegmentFile> {
    return decodeSegment(await this.openSegment(segmentId), this.segmentName(segmentId), segmentId);
  }

  /** The segment without its contacts (reading the history: see segment-codec.ts). */
  async readSegmentSummary(segmentId: string): Promise<AppliedSegment> {
    return decodeSegmentSummary(await this.openSegment(segmentId), this.segmentName(segmentId), segmentId);
  }

  /** Writes a segment; `summaries` are its puts' (`putSummary`) when the caller made them already. */
  async writeSegment(segment: SegmentFile, summaries?: readonly PutSummary[]): Promise<void> {
    const name = this.segmentName(segment.id);
    await mkdir(join(this.vault.folder, 'db', 'segments'), { recursive: true, mode: 0o700 });
    // Its parts are deflated one by one (segment-codec.ts), so the file is sealed as it is.
    const plain = await encodeSegment(segment, summaries, timeSlicer());
    await writeFileAtomic(
      this.vault.pathOf(name),
      sealBytes(this.vault.fileKey(), name, plain, { compress: false }),
    );
  }

  /** Segment files on disk that no committed snapshot references (left by a crash or cancel). */
  async orphanSegments(): Promise<string[]> {
    const referenced = new Set(this.catalog.data.snapshots.flatMap((snapshot) => snapshot.segments));
    const names = await readdir(join(this.vault.folder, 'db', 'segments')).catch(() => [] as string[]);
    return names
      .filter((name) => name.endsWith('.cbs'))
      .map((name) => name.slice(0, -4))
      .filter((id) => !referenced.has(id));
  }

  async removeSegmentFile(segmentId: string): Promise<void> {
    await rm(this.vault.pathOf(this.segmentName(segmentId)), { force: true });
  }

  /** Commits a snapshot: the catalog write is the single atomic step that makes it exist. */
  async commit(
    record: Omit<SnapshotRecord, 'seq'>,
    segments: readonly AppliedSegment[],
    cursor: string | undefined,
  ): Promise<SnapshotRecord> {
    return this.serialize(async () => {
      const snapshot: SnapshotRecord = { ...record, seq: this.nextSeq() };
      const data = this.catalog.data;
      // A backup that changed nothing keeps every list, the saved first screen and search table
      // (their fingerprint leaves it out), so nothing is rebuilt after it.
      const changed = changesLists(
        snapshot,
        data.snapshots.some((known) => known.userKey === snapshot.userKey),
      );
      data.snapshots.push(snapshot);
      const previousCursor = data.cursors[snapshot.userKey];
      if (cursor !== undefined) data.cursors[snapshot.userKey] = cursor;
      try {
        if (changed) await this.dropFirstScreen();
        await this.persistCatalog();
      } catch (error) {
        data.snapshots.pop();
        if (previousCursor === undefined) delete data.cursors[snapshot.userKey];
        else data.cursors[snapshot.userKey] = previousCursor;
        throw error;
      }
      const applied = this.index.applyInSteps(snapshot, segments, timeSlicer(), changed);
      this.applying = applied;
      try {
        await applied;
      } finally {
        this.applying = undefined;
      }
      if (changed) this.firstScreenChanged();
      return snapshot;
    });
  }

  private nextSeq(): number {
    return (this.catalog.data.snapshots.at(-1)?.seq ?? 0) + 1;
  }

  /** Catalog writes from concurrent jobs (different users) go one at a time. */
  serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = this.commitChain.then(work, work);
    this.commitChain = next.catch(() => undefined);
    return next;
  }

  /** The catalog, for maintenance work (delete, retention) that rewrites it under `serialize`. */
  catalogData(): CatalogFile {
    return this.catalog.data;
  }

  async writeCatalog(): Promise<void> {
    await this.dropFirstScreen();
    await this.persistCatalog();
    this.firstScreenChanged();
  }

  /** Every catalog write goes through here: one generation up, tied to vault.json. */
  private async persistCatalog(): Promise<void> {
    if (this.catalogProblem) {
      throw new VaultError(
        this.catalogProblem.code === 'tampered' ? 'tampered' : this.catalogProblem.code,
        this.catalogProblem.message,
      );
    }
    await writeCatalog(this.vault, this.catalog);
  }
}

/** Collects one backup run's changes; writes segments as it goes so memory stays bounded. */
export class SnapshotWriter {
  readonly id = newId('s');
  readonly counts: SnapshotCounts = { added: 0, changed: 0, deleted: 0, unchanged: 0 };
  /** What the index applies at the commit: the segments written, without their contacts. */
  private readonly written: AppliedSegment[] = [];
  private puts: PutRecord[] = [];
  private deletes: string[] = [];
  private renames: { contactId: string; sourceId: string }[] = [];
  private folders?: readonly ContactFolder[];
  /** Latest hash per contact within this run, so a replayed entry is not counted twice. */
  private readonly pending = new Map<
    string,
    { hash: string; photoKey?: string; photoHash?: string; photoMediaType?: string }
  >();
  private readonly pendingBySource = new Map<string, string>();
  private readonly deleted = new Set<string>();
  private readonly seen = new Set<string>();
  /** Segments are sealed and written beside the reading (two at most), all before the commit. */
  private readonly segmentWrites = new BoundedWork(SEGMENT_WRITES);

  constructor(
    private readonly store: HistoryStore,
    readonly userKey: UserKey,
    readonly kind: SnapshotKind,
    readonly startedAt: string,
  ) {}

  setFolders(folders: readonly ContactFolder[]): void {
    const current = this.store.index.foldersAt(this.userKey);
    if (JSON.stringify(current) !== JSON.stringify(folders)) this.folders = folders;
  }

  /** The contact id this run uses for a source id (existing, pending, or new). */
  contactIdFor(sourceId: string): { contactId: string; known: boolean } {
    const existing =
      this.pendingBySource.get(sourceId) ?? this.store.index.idForSource(this.userKey, sourceId);
    return existing ? { contactId: existing, known: true } : { contactId: newId('c'), known: false };
  }

  /** The latest photo seen for a contact (pending or stored), to skip downloading an unchanged one. */
  knownPhoto(contactId: string): { key?: string; hash?: string; mediaType?: string } | undefined {
    const pending = this.pending.get(contactId);
    if (pending) return { key: pending.photoKey, hash: pending.photoHash, mediaType: pending.photoMediaType };
    const last = this.store.index.contacts.get(contactId)?.versions.at(-1);
    return last
      ? { key: last.photoKey, hash: last.photo?.hash, mediaType: last.photo?.mediaType }
      : undefined;
  }

  /** Records a contact as read now; returns what it was. */
  async put(
    sourceId: string,
    contact: Contact,
    hash: string,
    photoKey?: string,
  ): Promise<'added' | 'changed' | 'unchanged'> {
    const { contactId, known } = this.contactIdFor(sourceId);
    this.seen.add(contactId);
    const pending = this.pending.get(contactId);
    const last = this.store.index.contacts.get(contactId)?.versions.at(-1);
    const previousHash = pending?.hash ?? (last && !last.until ? last.hash : undefined);
    if (previousHash === hash && !this.deleted.has(contactId)) {
      if (!pending) this.counts.unchanged += 1;
      return 'unchanged';
    }
    const outcome = !known || (last?.until?.deleted && !pending) ? 'added' : 'changed';
    if (!pending) this.counts[outcome] += 1;
    this.deleted.delete(contactId);
    this.pending.set(contactId, {
      hash,
      photoKey,
      photoHash: contact.photo?.hash,
      photoMediaType: contact.photo?.mediaType,
    });
    this.pendingBySource.set(ownCopy(sourceId), contactId);
    this.puts.push({ contactId, sourceId, hash, photoKey, contact });
    if (this.puts.length >= SEGMENT_PUTS) await this.startSegment();
    return outcome;
  }

  /** Marks a contact deleted at the source; its revisions stay recoverable. */
  delete(contactId: string): boolean {
    const last = this.store.index.contacts.get(contactId)?.versions.at(-1);
    const live = (last && !last.until) || this.pending.has(contactId);
    if (!live || this.deleted.has(contactId)) return false;
    this.deleted.add(contactId);
    this.deletes.push(contactId);
    this.counts.deleted += 1;
    return true;
  }

  rename(fromSourceId: string, toSourceId: string): void {
    const contactId = this.store.index.idForSource(this.userKey, fromSourceId);
    if (!contactId) return;
    this.renames.push({ contactId, sourceId: toSourceId });
    this.pendingBySource.set(toSourceId, contactId);
  }

  /** Writes what is collected so far to a segment file; resolves once every segment is on disk. */
  async flush(): Promise<void> {
    await this.startSegment();
    await this.segmentWrites.drain();
  }

  /** Starts writing what is collected so far as a segment, beside the reading (see `flush`). */
  private async startSegment(): Promise<void> {
    if (!this.puts.length && !this.deletes.length && !this.renames.length && !this.folders) return;
    const segment: SegmentFile = {
      version: 1,
      id: newId('g'),
      snapshotId: this.id,
      userKey: this.userKey,
      folders: this.folders,
      puts: this.puts,
      deletes: this.deletes,
      renames: this.renames,
    };
    // Only the segment's write holds its contacts: the index reads them back when asked for.
    const { puts, ...rest } = segment;
    const summaries = puts.map((put) => {
      const summary = putSummary(put);
      return { ...summary, sourceId: ownCopy(summary.sourceId), folderIds: summary.folderIds.map(ownCopy) };
    });
    this.written.push({ ...rest, puts: summaries });
    await this.segmentWrites.add(() => this.store.writeSegment(segment, summaries));
    this.puts = [];
    this.deletes = [];
    this.renames = [];
    this.folders = undefined;
  }

  /** Makes the snapshot visible and saves the cursor. */
  async commit(options: {
    finishedAt: Date;
    cursor?: string;
    massDeletion?: { deleted: number; before: number };
  }): Promise<SnapshotRecord> {
    await this.flush();
    return this.store.commit(
      {
        id: this.id,
        userKey: this.userKey,
        kind: this.kind,
        startedAt: this.startedAt,
        finishedAt: options.finishedAt.toISOString(),
        counts: { ...this.counts },
        segments: this.written.map((segment) => segment.id),
        massDeletion: options.massDeletion,
      },
      this.written,
      options.cursor,
    );
  }

  /** Removes the segment files of a run that will not be committed (cancel, failure). */
  async discard(): Promise<void> {
    await this.segmentWrites.settle();
    for (const segment of this.written) await this.store.removeSegmentFile(segment.id).catch(() => undefined);
    this.written.length = 0;
  }

  /** Ids deleted in this run so far. */
  get deletedIds(): ReadonlySet<string> {
    return this.deleted;
  }

  /** Ids the source delivered in this run, changed or not. */
  get seenIds(): ReadonlySet<string> {
    return this.seen;
  }
}

/** A segment file that could not be read: missing (said so), or the disk's own error. */
function segmentReadError(error: unknown, segmentId: string, name: string): VaultError {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    return new VaultError('not-found', `Backup data file ${segmentId} is missing.`);
  }
  return vaultIoError(error, name);
}
