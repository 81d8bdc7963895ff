/**
 * Removing data from the backup on purpose (delete from the backup, retention): the segments that
 * hold it are rewritten without it under new names, the catalog switches to them in one atomic
 * write, and only then are the old files and unreferenced photos removed. A crash at any point
 * leaves either the old or the new history, never a mix (orphans are cleaned by `check --repair`).
 */
import type { HistoryStore } from './history-store';
import { newId } from './history-store';
import type { PutRecord, SegmentFile, SnapshotRecord, UserKey } from './types';

export interface PurgeRequest {
  /** Contacts removed with every revision. */
  readonly contactIds?: ReadonlySet<string>;
  /** Single revisions removed: return true to drop this put. */
  readonly dropPut?: (put: PutRecord, snapshot: SnapshotRecord) => boolean;
  /** Folders removed from the folder lists of one user. */
  readonly folders?: { readonly userKey: UserKey; readonly ids: ReadonlySet<string> };
}

export interface PurgeResult {
  readonly revisionsRemoved: number;
  readonly contactsRemoved: number;
  readonly segmentsRewritten: number;
  readonly blobsRemoved: number;
}

export async function purge(store: HistoryStore, request: PurgeRequest): Promise<PurgeResult> {
  const result = await store.serialize(async () => {
    const catalog = store.catalogData();
    const contactIds = request.contactIds ?? new Set<string>();
    let revisionsRemoved = 0;
    const replaced: string[] = [];
    const touchedContacts = new Set<string>();
    const droppedPhotos = new Set<string>();
    const snapshots: SnapshotRecord[] = [];
    for (const snapshot of catalog.snapshots) {
      const segments: string[] = [];
      for (const segmentId of snapshot.segments) {
        const segment = await store.readSegment(segmentId);
        const puts = segment.puts.filter((put) => {
          const drop = contactIds.has(put.contactId) || Boolean(request.dropPut?.(put, snapshot));
          if (drop) {
            revisionsRemoved += 1;
            touchedContacts.add(put.contactId);
            if (put.contact.photo) droppedPhotos.add(put.contact.photo.hash);
          }
          return !drop;
        });
        const deletes = segment.deletes.filter((id) => !contactIds.has(id));
        const renames = segment.renames.filter((rename) => !contactIds.has(rename.contactId));
        const folders =
          segment.folders && request.folders && request.folders.userKey === snapshot.userKey
            ? segment.folders.filter((folder) => !request.folders!.ids.has(folder.id))
            : segment.folders;
        const changed =
          puts.length !== segment.puts.length ||
          deletes.length !== segment.deletes.length ||
          renames.length !== segment.renames.length ||
          folders?.length !== segment.folders?.length;
        if (!changed) {
          segments.push(segmentId);
          continue;
        }
        const rewritten: SegmentFile = { ...segment, id: newId('g'), puts, deletes, renames, folders };
        await store.writeSegment(rewritten);
        segments.push(rewritten.id);
        replaced.push(segmentId);
      }
      snapshots.push({ ...snapshot, segments });
    }
    if (!replaced.length)
      return { revisionsRemoved: 0, contactsRemoved: 0, segmentsRewritten: 0, droppedPhotos };
    const previous = catalog.snapshots;
    catalog.snapshots = snapshots;
    catalog.retired.push(...replaced);
    try {
      await store.writeCatalog();
    } catch (error) {
      catalog.snapshots = previous;
      catalog.retired.splice(catalog.retired.length - replaced.length);
      throw error;
    }
    // The index first: its versions read contacts from their segments, so the old files stay until
    // the index no longer points at them.
    await store.reload();
    for (const segmentId of replaced) await store.removeSegmentFile(segmentId);
    catalog.retired = catalog.retired.filter((id) => !replaced.includes(id));
    await store.writeCatalog();
    const contactsRemoved = [...touchedContacts].filter((id) => !store.index.contacts.has(id)).length;
    return { revisionsRemoved, contactsRemoved, segmentsRewritten: replaced.length, droppedPhotos };
  });
  // Only photos of the removed revisions are candidates: a backup running for another user may hold
  // new photos that no committed revision references yet, and those must stay.
  const referenced = referencedBlobs(store);
  let blobsRemoved = 0;
  for (const id of result.droppedPhotos) {
    if (referenced.has(id)) continue;
    await store.blobs.delete(id);
    blobsRemoved += 1;
  }
  const { droppedPhotos: _dropped, ...counts } = result;
  return { ...counts, blobsRemoved };
}

/** Photos that no revision references any more (after a purge, or left by a crash). */
export function referencedBlobs(store: HistoryStore): Set<string> {
  const referenced = new Set<string>();
  for (const history of store.index.contacts.values()) {
    for (const version of history.versions) if (version.photo) referenced.add(version.photo.hash);
  }
  return referenced;
}
