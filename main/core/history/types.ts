/**
 * The shapes of the history on disk. History is a temporal table: each backup run is a snapshot,
 * each contact revision is valid from the snapshot that saw it until the one that replaced or
 * deleted it (architecture.md). Segments are written once and never edited; the catalog is the
 * commit point that says which segments and snapshots exist.
 */
import { bestDisplayName, ownCopy, type Contact, type ContactFolder, type PhotoRef } from '../contacts/model';

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

/**
 * What the index keeps of a put once its segment is written: everything but the contact, which is
 * read back from the segment when asked for (history-index.ts `ContactLoader`).
 */
export interface PutSummary {
  readonly contactId: string;
  readonly sourceId: string;
  readonly hash: string;
  readonly photoKey?: string;
  readonly photo?: PhotoRef;
  readonly folderIds: readonly string[];
  readonly brief: ContactBrief;
}

/** The fields a list row shows, kept in the index so lists are built without reading contacts. */
export interface ContactBrief {
  readonly displayName: string;
  readonly email?: string;
  readonly phone?: string;
  readonly organization?: string;
}

/** The brief of a contact, in strings of its own (see `ownCopy`): the index keeps it. */
export function briefOf(contact: Contact): ContactBrief {
  return {
    displayName: ownCopy(bestDisplayName(contact)),
    email: ownCopy(contact.emails[0]?.value),
    phone: ownCopy(contact.phones[0]?.value),
    organization: ownCopy(contact.organizations[0]?.name),
  };
}

/** A segment as the index applies it: its puts with their contacts, or only their summaries. */
export interface AppliedSegment extends Omit<SegmentFile, 'puts'> {
  readonly puts: readonly (PutRecord | PutSummary)[];
}

/**
 * A segment in memory, each put with its contact. On disk new segments are version 2 (the contacts
 * apart from the puts, see segment-codec.ts); in memory it is always this form.
 */
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
