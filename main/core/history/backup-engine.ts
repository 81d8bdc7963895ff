/**
 * One backup run for one account user: read changes from the provider page by page, store new
 * revisions (photos to the blob store first), detect deletions, apply the mass-deletion guard and
 * commit the snapshot in one atomic catalog write. Cancelling or failing leaves the history exactly
 * as it was before the run.
 */
import { contentHash } from '../contacts/content-hash';
import type { Contact } from '../contacts/model';
import {
  ProviderError,
  type ContactProvider,
  type SourceContact,
  type WorkContext,
} from '../providers/provider';
import type { BlobStore } from '../vault/blob-store';
import { BoundedWork } from '../vault/bounded-work';
import { timeSlicer } from '../time-slice';
import type { HistoryStore, SnapshotWriter } from './history-store';
import type { SnapshotRecord, UserKey } from './types';

/** When a run sees more than this share (and at least `minimum`) of contacts deleted, it is flagged. */
export interface MassDeletionPolicy {
  readonly share: number;
  readonly minimum: number;
}

export const DEFAULT_MASS_DELETION: MassDeletionPolicy = { share: 0.2, minimum: 10 };

/** Photo writes in flight at once beside the reading (measured on 500 photos of 10,000 cards). */
const PHOTO_WRITES = 8;

export interface BackupRequest {
  readonly store: HistoryStore;
  readonly blobs: BlobStore;
  readonly provider: ContactProvider;
  readonly userKey: UserKey;
  readonly userId: string;
  readonly context: WorkContext;
  readonly now: () => Date;
  /** Only these source ids (urgent backup of selected contacts); no deletions are inferred. */
  readonly sourceIds?: readonly string[];
  /** Source ids the user deleted from the backup and chose to keep out of it: never stored. */
  readonly excluded?: ReadonlySet<string>;
  readonly massDeletion?: MassDeletionPolicy;
}

export interface BackupResult {
  readonly snapshot: SnapshotRecord;
  readonly full: boolean;
  /** Set when the mass-deletion guard tripped. */
  readonly massDeletion?: { readonly deleted: number; readonly before: number };
}

export async function runBackup(request: BackupRequest): Promise<BackupResult> {
  const { store, provider, userKey, context } = request;
  const selected = request.sourceIds !== undefined;
  const cursor = selected ? undefined : store.cursor(userKey);
  const writer = store.begin(userKey, selected ? 'selected' : cursor ? 'incremental' : 'full', request.now());
  let processed = 0;
  // The index changes only at commit, so this count holds for the whole run.
  const before = [...store.index.liveContacts(userKey)].length;
  // The provider says how many contacts it will deliver as soon as it knows; the bar uses it.
  let total: number | undefined;
  const providerContext: WorkContext = {
    ...context,
    progress: (_done, known) => {
      if (known !== undefined) total = known;
      context.progress(processed, total);
    },
  };
  // Between contacts: a Cancel takes effect at once, and the thread answers the UI between slices.
  const slice = timeSlicer();
  // Photos are written beside the reading, all of them before the commit that references them.
  const photoWrites = new BoundedWork(PHOTO_WRITES);
  try {
    const store1 = async (item: SourceContact): Promise<void> => {
      throwIfAborted(context.signal);
      await slice();
      if (request.excluded?.has(item.sourceId)) return;
      await storeContact(writer, request.blobs, photoWrites, item);
      processed += 1;
      context.progress(processed, total);
    };
    let full = false;
    let nextCursor: string | undefined;
    if (selected) {
      const items = await provider.fetchContacts(request.userId, request.sourceIds ?? [], providerContext);
      total = items.length;
      for (const item of items) await store1(item);
    } else {
      const outcome = await provider.sync(
        request.userId,
        cursor,
        async (batch) => {
          throwIfAborted(context.signal);
          if (batch.folders) writer.setFolders(batch.folders);
          for (const rename of batch.renames ?? []) writer.rename(rename.from, rename.to);
          for (const item of batch.upserts) await store1(item);
          for (const sourceId of batch.deletions) {
            await slice();
            const { contactId, known } = writer.contactIdFor(sourceId);
            if (known) writer.delete(contactId);
          }
        },
        providerContext,
      );
      full = outcome.full;
      nextCursor = outcome.cursor;
      if (!full) {
        // An incremental read lists only changes: every other live contact is unchanged.
        writer.counts.unchanged = Math.max(0, before - writer.counts.changed - writer.counts.deleted);
      } else {
        // A full read lists everything that exists: whatever we hold and it did not list is gone.
        for (const history of store.index.liveContacts(userKey)) {
          if (!writer.seenIds.has(history.id)) writer.delete(history.id);
        }
      }
    }
    throwIfAborted(context.signal);
    const policy = request.massDeletion ?? DEFAULT_MASS_DELETION;
    const deleted = writer.counts.deleted;
    const massDeletion =
      deleted >= policy.minimum && before > 0 && deleted / before > policy.share
        ? { deleted, before }
        : undefined;
    if (massDeletion) {
      context.log(
        `Warning: ${deleted} of ${before} contacts were deleted at the source; all are kept in the backup.`,
      );
    }
    await photoWrites.drain();
    const snapshot = await writer.commit({ finishedAt: request.now(), cursor: nextCursor, massDeletion });
    return { snapshot, full, massDeletion };
  } catch (error) {
    await photoWrites.settle();
    await writer.discard();
    throw error;
  }
}

async function storeContact(
  writer: SnapshotWriter,
  blobs: BlobStore,
  photoWrites: BoundedWork,
  item: SourceContact,
): Promise<void> {
  let contact: Contact = { ...item.contact, photo: undefined };
  if (item.photo) {
    const { contactId } = writer.contactIdFor(item.sourceId);
    const known = writer.knownPhoto(contactId);
    if (known?.key === item.photo.key && known.hash && known.mediaType) {
      contact = { ...contact, photo: { hash: known.hash, mediaType: known.mediaType } };
    } else {
      // A source may only learn there is no photo by asking (Graph answers 404): that is "no photo".
      const photo = await item.photo.load().catch((error: unknown) => {
        if (error instanceof ProviderError && error.code === 'not-found') return undefined;
        throw error;
      });
      if (photo) {
        const blob = blobs.prepare(photo.bytes);
        await photoWrites.add(blob.write);
        contact = { ...contact, photo: { hash: blob.id, mediaType: photo.mediaType } };
      }
    }
  }
  await writer.put(item.sourceId, contact, contentHash(contact), item.photo?.key);
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('Cancelled');
}
