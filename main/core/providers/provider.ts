/**
 * The port every contact source implements (vCard files, the sample address book, PST files, Google,
 * Microsoft). The backup engine (history/backup-engine.ts) and the restore engine only ever see this,
 * so a provider can be swapped for a fake in tests and a new source needs no engine change.
 */
import type { Contact, ContactFolder, PhotoBytes } from '../contacts/model';

export type { PhotoBytes };

/**
 * A photo at the source, loaded lazily. `key` identifies the photo version at the source (Google's
 * photo URL, a Graph contact's changeKey, a hash of inline bytes): when it equals the key the engine
 * saw last time, the engine keeps the stored blob and never calls `load`, so photos download once.
 */
export interface PhotoSource {
  readonly key: string;
  load(): Promise<PhotoBytes>;
}

/** One contact as read from the source. `contact.photo` is unset; the photo travels in `photo`. */
export interface SourceContact {
  /** The source's stable id (Google resource name, Graph id, vCard UID). */
  readonly sourceId: string;
  readonly contact: Contact;
  readonly photo?: PhotoSource;
}

/** A page of changes delivered while a sync runs, so memory stays bounded by the page size. */
export interface SyncBatch {
  /** The complete folder list, when the source delivers it (at least once per sync). */
  readonly folders?: readonly ContactFolder[];
  readonly upserts: readonly SourceContact[];
  /** Source ids deleted at the source since the cursor. */
  readonly deletions: readonly string[];
  /** Source ids that changed name (Google previousResourceNames): `from` becomes `to`. */
  readonly renames?: readonly { readonly from: string; readonly to: string }[];
}

/** How a sync ended. */
export interface SyncOutcome {
  /**
   * True when the batches held the whole address book (first sync, expired cursor, or a source with
   * no incremental reads): the engine then treats every stored contact not delivered as deleted.
   */
  readonly full: boolean;
  /** The cursor to pass next time (sync token, delta links as JSON); undefined if none. */
  readonly cursor?: string;
}

/** What a provider may use while it works. */
export interface WorkContext {
  readonly signal: AbortSignal;
  /** done/total of the current phase; total may be unknown. */
  progress(done: number, total?: number): void;
  /** A line for the job's log. Never pass contact data or tokens here. */
  log(line: string): void;
}

/** A user inside an account: the account owner (personal), or a directory user (business). */
export interface AccountUser {
  readonly id: string;
  readonly email: string;
  readonly displayName?: string;
  /** False when the directory says the user is suspended or disabled. */
  readonly active: boolean;
}

/** One contact to write during a restore. */
export interface WriteItem {
  /** The caller's key (journal key); results come back under it. */
  readonly key: string;
  readonly contact: Contact;
  readonly photo?: PhotoBytes;
  /** Target folder ids (in the target's id space) the contact must be in. */
  readonly folderIds: readonly string[];
  /** For updates: the id of the existing contact at the target. */
  readonly targetId?: string;
  /**
   * Deterministic identity of this write: the same (restore run, backed-up contact) always gives the
   * same value, so a resumed or re-run restore can find what it already created. Targets keep it:
   * vCard files/folders and CardDAV as the card's file name / href (`<restoreId>.vcf`) and an
   * `X-CONTACTS-BACKUP-RESTORE-ID` property; Google as a `clientData` entry with key
   * `contactsBackupRestoreId`; Graph as a single-value extended property.
   * Shape: /^cbr-[0-9a-f]{32}$/ (sha256 of `${runId}\u0000${backedUpContactId}`, first 32 hex).
   */
  readonly restoreId: string;
}

export type WriteResult =
  | { readonly key: string; readonly ok: true; readonly targetId: string }
  | { readonly key: string; readonly ok: false; readonly error: string; readonly retryable: boolean };

/** The write side of a source, used by restores. */
export interface ContactWriter {
  listFolders(context: WorkContext): Promise<ContactFolder[]>;
  /** Creates a folder (nested under parentId where the target supports nesting). */
  createFolder(name: string, parentId: string | undefined, context: WorkContext): Promise<ContactFolder>;
  /** Which of these target ids still exist at the target (for overwrite/skip modes and journal checks). */
  existing(targetIds: readonly string[], context: WorkContext): Promise<Set<string>>;
  /** Creates contacts; the provider batches at its service's limits and returns one result per item. */
  create(items: readonly WriteItem[], context: WorkContext): Promise<WriteResult[]>;
  /** Target ids of contacts that already carry any of these restore ids (map restoreId -> targetId). */
  findRestored(restoreIds: readonly string[], context: WorkContext): Promise<Map<string, string>>;
  /** Replaces existing contacts (items carry targetId). */
  update(items: readonly WriteItem[], context: WorkContext): Promise<WriteResult[]>;
  /**
   * Names of the fields of `contact` this target cannot hold (for the cross-provider report),
   * e.g. 'relations', 'extra.google.clientData', 'phones[3] (Graph keeps 2 business phones)'.
   */
  unsupportedFields(contact: Contact): string[];
}

/** A connected source for one account. */
export interface ContactProvider {
  /** The users whose contacts this account can back up (one for personal accounts). */
  listUsers(context: WorkContext): Promise<AccountUser[]>;
  /**
   * Reads changes for one user since `cursor` (undefined: full read), handing pages to `sink` in
   * order. An expired cursor must fall back to a full read and say so with `full: true`.
   * Throttling and transient faults are retried inside; a page is never skipped.
   */
  sync(
    userId: string,
    cursor: string | undefined,
    sink: (batch: SyncBatch) => Promise<void>,
    context: WorkContext,
  ): Promise<SyncOutcome>;
  /** Reads these contacts now (urgent backup of selected contacts). Missing ids are left out. */
  fetchContacts(userId: string, sourceIds: readonly string[], context: WorkContext): Promise<SourceContact[]>;
  /** The write side for one user, or undefined for read-only sources (PST, sample). */
  writer(userId: string): ContactWriter | undefined;
}

/** A typed error providers throw so the app can tell the user what to do. */
export class ProviderError extends Error {
  constructor(
    readonly code:
      'auth-required' | 'throttled' | 'network' | 'invalid-response' | 'not-found' | 'invalid-input',
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
