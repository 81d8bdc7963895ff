/**
 * The shapes of the history on disk. History is a temporal table: each backup run is a snapshot,
 * each contact revision is valid from the snapshot that saw it until the one that replaced or
 * deleted it (architecture.md). Segments are written once and never edited; the catalog is the
 * commit point that says which segments and snapshots exist.
 */
import type { Contact, ContactFolder } from '../contacts/model';

/** `accountId/userId`: the unit that is backed up, scheduled and locked. */
export type UserKey = string;

export function userKeyOf(accountId: string, userId: string): UserKey {
  return `${accountId}/${userId}`;
}

export function splitUserKey(userKey: UserKey): { accountId: string; userId: string } {
  const slash = userKey.indexOf('/');
  return { accountId: userKey.slice(0, slash), userId: userKey.slice(slash + 1) };
}

export type SnapshotKind = 'full' | 'incremental' | 'selected';

export interface SnapshotCounts {
  added: number;
  changed: number;
  deleted: number;
  unchanged: number;
}

export interface SnapshotRecord {
  readonly id: string;
  /** Position in the catalog; orders snapshots across all users. */
  readonly seq: number;
  readonly userKey: UserKey;
  readonly kind: SnapshotKind;
  readonly startedAt: string;
  /** The "as of" time of this snapshot: the state it holds is the state from this moment. */
  readonly finishedAt: string;
  readonly counts: SnapshotCounts;
  readonly segments: readonly string[];
  /** Set when this backup saw an unusual share of contacts deleted at the source (mass-deletion guard). */
  readonly massDeletion?: { readonly deleted: number; readonly before: number };
}

/** A new revision of a contact, valid from the segment's snapshot. */
export interface PutRecord {
  readonly contactId: string;
  readonly sourceId: string;
  readonly hash: string;
  /** The source's photo version key (PhotoSource.key), so unchanged photos are not downloaded again. */
  readonly photoKey?: string;
  readonly contact: Contact;
}

export interface SegmentFile {
  readonly version: 1;
  readonly id: string;
  readonly snapshotId: string;
  readonly userKey: UserKey;
  /** The complete folder list, when it changed in this snapshot. */
  readonly folders?: readonly ContactFolder[];
  readonly puts: readonly PutRecord[];
  /** Contacts deleted at the source in this snapshot (their last revision closes; they stay recoverable). */
  readonly deletes: readonly string[];
  /** Source ids that changed (Google previousResourceNames). */
  readonly renames: readonly { readonly contactId: string; readonly sourceId: string }[];
}

export interface CatalogFile {
  version: 1;
  /**
   * Raised by one at every write; vault.json holds the same number under a MAC (vault.ts), so a
   * catalog that is missing or older than the last one written is noticed. Absent before it existed.
   */
  generation?: number;
  snapshots: SnapshotRecord[];
  /** Sync cursors by user key. */
  cursors: Record<UserKey, string>;
  /** Segments replaced by a deletion or retention run and waiting for removal from disk. */
  retired: string[];
}

export function emptyCatalog(): CatalogFile {
  return { version: 1, snapshots: [], cursors: {}, retired: [] };
}
