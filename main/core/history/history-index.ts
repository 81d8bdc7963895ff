/**
 * The in-memory view of the history, rebuilt from the catalog and its segments when a profile is
 * unlocked. Answers "current contacts", "as of time T", "versions of one contact" and "deleted at
 * the source" without copying anything: every query is a walk over version intervals.
 */
import type { Contact, ContactFolder, PhotoRef } from '../contacts/model';
import type { Searchable } from './contact-search';
import {
  briefOf,
  type AppliedSegment,
  type ContactBrief,
  type PutRecord,
  type PutSummary,
  type SnapshotRecord,
  type UserKey,
} from './types';

/**
 * Gives a segment's contacts back when a version's contact is asked for. The index keeps only what
 * lists and backups compare (hashes, folders, photo) and reads contacts from their segment on
 * demand: held in memory, 100,000 contacts were 440 MB before any command did anything (issue 20).
 */
export interface ContactLoader {
  /** The contact at `slot` of the segment's puts (synchronous; cached by the loader). */
  contactAt(segment: SegmentRef, slot: number): Contact;
  /** Reads a segment off the thread ahead of a walk that needs it (see segment-contacts.ts). */
  prefetch?(segmentId: string, what?: 'contacts' | 'texts'): Promise<void>;
  /** The search text stored with the contact at `slot`, if its segment holds it. */
  searchableAt?(segment: SegmentRef, slot: number): Searchable | undefined;
}

/** One segment, shared by every version it holds. */
export interface SegmentRef {
  readonly id: string;
  /** Position in load order: walking versions by (ordinal, slot) reads each segment once. */
  readonly ordinal: number;
  readonly loader?: ContactLoader;
}

export interface VersionClose {
  readonly seq: number;
  readonly snapshotId: string;
  readonly at: string;
  /** True when the contact was deleted at the source (rather than replaced by a newer revision). */
  readonly deleted: boolean;
}

export interface Version {
  readonly seq: number;
  readonly snapshotId: string;
  readonly from: string;
  readonly hash: string;
  readonly photoKey?: string;
  /** The contact's photo and folders, kept beside it so lists and clean-ups need not read it. */
  readonly photo?: PhotoRef;
  readonly folderIds: readonly string[];
  readonly brief: ContactBrief;
  /** Read from its segment when asked for (see `ContactLoader`); never changed by readers. */
  readonly contact: Contact;
  readonly segment: SegmentRef;
  /** Its position in the segment's puts. */
  readonly slot: number;
  until?: VersionClose;
}

/** A version whose contact stays on disk (or in memory, for an index without a loader). */
class StoredVersion implements Version {
  until?: VersionClose;
  readonly hash: string;
  readonly photoKey?: string;
  readonly photo?: PhotoRef;
  readonly folderIds: readonly string[];
  readonly brief: ContactBrief;
  private readonly held?: Contact;

  constructor(
    readonly seq: number,
    readonly snapshotId: string,
    readonly from: string,
    put: PutRecord | PutSummary,
    readonly segment: SegmentRef,
    readonly slot: number,
  ) {
    this.hash = put.hash;
    this.photoKey = put.photoKey;
    if ('contact' in put) {
      this.photo = put.contact.photo;
      this.folderIds = put.contact.folderIds;
      this.brief = briefOf(put.contact);
      if (!segment.loader) this.held = put.contact;
    } else {
      this.photo = put.photo;
      this.folderIds = put.folderIds;
      this.brief = put.brief;
      if (!segment.loader) throw new Error('A put without its contact needs an index that reads segments.');
    }
  }

  get contact(): Contact {
    return this.held ?? this.segment.loader!.contactAt(this.segment, this.slot);
  }
}

/**
 * The positions of `versions` in storage order, by (`SegmentRef.ordinal`, slot), so a walk in this
 * order reads each segment once; without a comparison sort over all of them
 * (sorting 100,000 held the thread that answers the window for about 100 ms after unlocking):
 * grouped by segment, each group put in slot order (mostly in order already).
 */
export function storagePositions(versions: readonly Version[]): number[] {
  const groups = new Map<number, number[]>();
  for (let at = 0; at < versions.length; at += 1) {
    const ordinal = versions[at]!.segment.ordinal;
    let group = groups.get(ordinal);
    if (!group) groups.set(ordinal, (group = []));
    group.push(at);
  }
  const positions: number[] = [];
  for (const ordinal of [...groups.keys()].sort((a, b) => a - b)) {
    const group = groups.get(ordinal)!;
    group.sort((a, b) => versions[a]!.slot - versions[b]!.slot);
    for (const at of group) positions.push(at);
  }
  return positions;
}

export interface ContactHistory {
  readonly id: string;
  readonly userKey: UserKey;
  sourceId: string;
  readonly versions: Version[];
}

interface FolderState {
  readonly seq: number;
  readonly at: string;
  readonly folders: readonly ContactFolder[];
}

/** The result of asking for one contact at a moment. */
export interface ContactAt {
  readonly history: ContactHistory;
  readonly version: Version;
  /** Deleted at the source as of that moment (the version shown is the last one it had). */
  readonly deleted: boolean;
}

/** Contacts applied between two pauses in `applyInSteps` (a few milliseconds). */
const APPLY_STEP = 2000;

function sourceKey(userKey: UserKey, sourceId: string): string {
  return `${userKey}\u0000${sourceId}`;
}

export class HistoryIndex {
  private segmentCount = 0;

  /** Without a loader (tests, an index built from segments in memory) versions hold their contacts. */
  constructor(private readonly loader?: ContactLoader) {}

  readonly contacts = new Map<string, ContactHistory>();
  private readonly bySource = new Map<string, string>();
  private readonly folderStates = new Map<UserKey, FolderState[]>();
  readonly snapshots: SnapshotRecord[] = [];
  /** Grows with every applied snapshot, so views computed from the index know when they are stale. */
  revision = 0;

  /** Applies one committed snapshot with its segments, in commit order. */
  apply(snapshot: SnapshotRecord, segments: readonly AppliedSegment[]): void {
    this.startSnapshot(snapshot);
    for (const segment of segments) this.applySegment(snapshot, segment);
  }

  /**
   * `apply` a few thousand contacts at a time with `pause()` awaited between them: the first backup
   * of 40,000 contacts held the thread that answers the window for 50-200 ms in one `apply`.
   * Readers must not look while it runs (the history store holds them at `ready()`); views
   * computed meanwhile are outdated by the revision raised at the end. `changesLists` false (a
   * backup that changed nothing, not a user's first) records the snapshot and keeps the revision.
   */
  async applyInSteps(
    snapshot: SnapshotRecord,
    segments: readonly AppliedSegment[],
    pause: () => Promise<void> | undefined,
    changesLists = true,
  ): Promise<void> {
    if (!changesLists) {
      // Nothing to apply: the sorted lists and searches kept for this revision stay right.
      this.snapshots.push(snapshot);
      return;
    }
    this.startSnapshot(snapshot);
    for (const segment of segments) {
      const ref = this.refOf(segment.id);
      // The order of one segment stays: folders and renames first, then the puts, then deletes.
      const { puts } = segment;
      for (let from = 0; from === 0 || from < puts.length; from += APPLY_STEP) {
        const last = from + APPLY_STEP >= puts.length;
        this.applySegment(
          snapshot,
          {
            ...segment,
            folders: from === 0 ? segment.folders : undefined,
            renames: from === 0 ? segment.renames : [],
            puts: puts.slice(from, from + APPLY_STEP),
            deletes: last ? segment.deletes : [],
          },
          { ref, firstSlot: from },
        );
        await pause();
      }
    }
    this.revision += 1;
  }

  /**
   * `apply` in steps: the snapshot, then each of its segments in order. Only for an index nobody
   * reads yet (the history being read after unlocking): between two steps it shows half a snapshot.
   */
  startSnapshot(snapshot: SnapshotRecord): void {
    this.revision += 1;
    this.snapshots.push(snapshot);
  }

  private refOf(segmentId: string): SegmentRef {
    this.segmentCount += 1;
    return { id: segmentId, ordinal: this.segmentCount, loader: this.loader };
  }

  /**
   * One segment of the snapshot last started (see `startSnapshot`). `part` says which segment a
   * slice of its puts belongs to and where the slice starts (see `applyInSteps`).
   */
  applySegment(
    snapshot: SnapshotRecord,
    segment: AppliedSegment,
    part: { readonly ref: SegmentRef; readonly firstSlot: number } = {
      ref: this.refOf(segment.id),
      firstSlot: 0,
    },
  ): void {
    const at = snapshot.finishedAt;
    if (segment.folders) {
      const states = this.folderStates.get(snapshot.userKey) ?? [];
      states.push({ seq: snapshot.seq, at, folders: segment.folders });
      this.folderStates.set(snapshot.userKey, states);
    }
    for (const rename of segment.renames) {
      const history = this.contacts.get(rename.contactId);
      if (!history) continue;
      this.bySource.delete(sourceKey(history.userKey, history.sourceId));
      history.sourceId = rename.sourceId;
      this.bySource.set(sourceKey(history.userKey, rename.sourceId), history.id);
    }
    for (let position = 0; position < segment.puts.length; position += 1) {
      const put = segment.puts[position]!;
      let history = this.contacts.get(put.contactId);
      if (!history) {
        history = { id: put.contactId, userKey: snapshot.userKey, sourceId: put.sourceId, versions: [] };
        this.contacts.set(put.contactId, history);
        this.bySource.set(sourceKey(snapshot.userKey, put.sourceId), put.contactId);
      }
      const last = history.versions.at(-1);
      const version = new StoredVersion(
        snapshot.seq,
        snapshot.id,
        at,
        put,
        part.ref,
        part.firstSlot + position,
      );
      if (last && last.seq === snapshot.seq) {
        // A source may deliver the same contact twice in one run (Graph delta replays): keep the last.
        history.versions[history.versions.length - 1] = version;
        continue;
      }
      if (last && !last.until)
        last.until = { seq: snapshot.seq, snapshotId: snapshot.id, at, deleted: false };
      history.versions.push(version);
    }
    for (const contactId of segment.deletes) {
      const last = this.contacts.get(contactId)?.versions.at(-1);
      if (last && !last.until) last.until = { seq: snapshot.seq, snapshotId: snapshot.id, at, deleted: true };
    }
  }

  /** The stored contact id for a source id, if this user's contact was backed up before. */
  idForSource(userKey: UserKey, sourceId: string): string | undefined {
    return this.bySource.get(sourceKey(userKey, sourceId));
  }

  /** The contact as it was at `at` (default: now), or undefined if it did not exist yet. */
  contactAt(history: ContactHistory, at?: string): ContactAt | undefined {
    const versions = history.versions;
    for (let index = versions.length - 1; index >= 0; index -= 1) {
      const version = versions[index];
      if (at !== undefined && version.from > at) continue;
      const closedBefore = version.until && (at === undefined || version.until.at <= at);
      if (!closedBefore) return { history, version, deleted: false };
      if (version.until?.deleted) return { history, version, deleted: true };
      return undefined;
    }
    return undefined;
  }

  /** Every contact of these users as of `at`, deleted ones included and marked. */
  *contactsAt(userKeys: ReadonlySet<UserKey> | undefined, at?: string): Generator<ContactAt> {
    for (const history of this.contacts.values()) {
      if (userKeys && !userKeys.has(history.userKey)) continue;
      const state = this.contactAt(history, at);
      if (state) yield state;
    }
  }

  /**
   * `contactsAt` in storage order (`storagePositions`): a walk that reads every contact reads each
   * segment once. In the map's order, contacts changed by later backups jump between segments.
   */
  contactsAtStored(userKeys: ReadonlySet<UserKey> | undefined, at?: string): ContactAt[] {
    const states = [...this.contactsAt(userKeys, at)];
    return storagePositions(states.map((state) => state.version)).map((position) => states[position]!);
  }

  /** The folder list of a user as of `at`. */
  foldersAt(userKey: UserKey, at?: string): readonly ContactFolder[] {
    const states = this.folderStates.get(userKey) ?? [];
    for (let index = states.length - 1; index >= 0; index -= 1) {
      if (at === undefined || states[index].at <= at) return states[index].folders;
    }
    return [];
  }

  /** Every folder this user ever had, latest name first (for deleting a folder gone at the source). */
  allFolders(userKey: UserKey): ContactFolder[] {
    const seen = new Map<string, ContactFolder>();
    const states = this.folderStates.get(userKey) ?? [];
    for (let index = states.length - 1; index >= 0; index -= 1) {
      for (const folder of states[index].folders) if (!seen.has(folder.id)) seen.set(folder.id, folder);
    }
    return [...seen.values()];
  }

  /** Current open (not deleted) contacts of one user, for full-sync deletion detection. */
  *liveContacts(userKey: UserKey): Generator<ContactHistory> {
    for (const history of this.contacts.values()) {
      if (history.userKey !== userKey) continue;
      const last = history.versions.at(-1);
      if (last && !last.until) yield history;
    }
  }
}
