/**
 * Carries out a restore plan against a target's writer: folders first, then contacts in batches.
 * Before each batch of creates the run's journal records the intent (synced to disk); after it, the
 * target ids. A resumed run reads that journal back, asks the target which of the intended
 * contacts already carry their restore id (ContactWriter.findRestored), and creates only the rest:
 * whatever instant the process died, each contact is created at most once.
 */
import type { Contact, ContactFolder } from '../contacts/model';
import type { ContactWriter, WorkContext, WriteItem, WriteResult } from '../providers/provider';
import type { BlobStore } from '../vault/blob-store';
import { StoredWalk } from '../history/segment-contacts';
import type { PlannedContact, RestorePlan } from './restore-plan';
import { restoreIdOf, SOURCE_UID_EXTRA } from '../providers/restore-identity';
import type { RestoreJournal } from './restore-journal';
import { count } from '../plural';

export interface RestoreReport {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  foldersCreated: number;
  failures: { contactId: string; name: string; reason: string }[];
  unmappedFields: readonly string[];
  folderName?: string;
  /** Backed-up contact id -> target id of every contact written by this run (links, relinking). */
  written?: Record<string, string>;
}

export interface RestoreRun {
  readonly plan: RestorePlan;
  readonly writer: ContactWriter;
  readonly sameUser: boolean;
  readonly runId: string;
  readonly journal: RestoreJournal;
  readonly blobs: BlobStore;
  readonly context: WorkContext;
  readonly now: () => Date;
  /** Called after each batch with the running report (job counts). */
  readonly onProgress?: (report: RestoreReport) => void;
}

/** Contacts per batch: one intent record and one outcome record each. */
export const RESTORE_BATCH = 100;

function restoredFolderName(now: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `Restored ${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
}

/** What an interrupted attempt of this run already wrote: the journal, then the target itself. */
async function alreadyWritten(run: RestoreRun): Promise<Map<string, string>> {
  const { journal, writer, context } = run;
  const found = new Map(journal.state.done);
  const unknown = [...journal.state.intended].filter((id) => !found.has(id));
  if (unknown.length) {
    const byRestoreId = new Map(unknown.map((id) => [restoreIdOf(run.runId, id), id]));
    const there = await writer.findRestored([...byRestoreId.keys()], context);
    for (const [restoreId, targetId] of there) {
      const contactId = byRestoreId.get(restoreId);
      if (contactId) found.set(contactId, targetId);
    }
    if (there.size) {
      await journal.append({
        done: [...there].flatMap(([restoreId, targetId]) => {
          const contactId = byRestoreId.get(restoreId);
          return contactId ? [[contactId, targetId] as const] : [];
        }),
      });
    }
    context.log(
      `Resuming: written before the interruption, ${count(found.size, 'contact')} (${there.size} found at the target by their restore id).`,
    );
  }
  return found;
}

export async function executeRestore(run: RestoreRun): Promise<RestoreReport> {
  const { plan, writer, context, journal } = run;
  const report: RestoreReport = {
    created: 0,
    updated: 0,
    skipped: 0,
    failed: 0,
    foldersCreated: 0,
    failures: [],
    unmappedFields: plan.unmappedFields,
    written: {},
  };
  const written = report.written!;
  const folderMap = await mapFolders(run, report);
  const before = await alreadyWritten(run);
  const pending: PlannedContact[] = [];
  for (const planned of plan.contacts) {
    if (planned.action === 'skip') report.skipped += 1;
    else if (before.has(planned.contactId)) {
      written[planned.contactId] = before.get(planned.contactId)!;
      if (planned.action === 'update') report.updated += 1;
      else report.created += 1;
    } else pending.push(planned);
  }
  // Written in storage order, each segment read (and the next one started) off the thread before
  // its contacts are used (segment-contacts.ts); in plan (name) order every batch of 100,000
  // contacts read dozens of segments.
  const walk = new StoredWalk(pending.map((planned) => planned.version));
  const toWrite = walk.order.map((at) => pending[at]!);
  let done = 0;
  for (let start = 0; start < toWrite.length; start += RESTORE_BATCH) {
    if (context.signal.aborted) throw context.signal.reason;
    const batch = toWrite.slice(start, start + RESTORE_BATCH);
    const creates: WriteItem[] = [];
    const updates: WriteItem[] = [];
    for (let at = 0; at < batch.length; at += 1) {
      const planned = batch[at]!;
      await walk.ready(start + at);
      const item = await writeItem(run, planned, folderMap);
      (planned.action === 'update' ? updates : creates).push(item);
    }
    // The crash boundary: the intent is on disk before the target sees a single create.
    if (creates.length) await journal.append({ intent: creates.map((item) => item.key) });
    const results: WriteResult[] = [
      ...(creates.length ? await writer.create(creates, context) : []),
      ...(updates.length ? await writer.update(updates, context) : []),
    ];
    const byKey = new Map(batch.map((planned) => [planned.contactId, planned]));
    const confirmed: [string, string][] = [];
    for (const result of results) {
      const planned = byKey.get(result.key)!;
      if (result.ok) {
        confirmed.push([planned.contactId, result.targetId]);
        written[planned.contactId] = result.targetId;
        if (planned.action === 'update') report.updated += 1;
        else report.created += 1;
      } else {
        report.failed += 1;
        report.failures.push({
          contactId: planned.contactId,
          name: planned.name,
          reason: result.error,
        });
      }
    }
    if (confirmed.length) await journal.append({ done: confirmed });
    done += batch.length;
    context.progress(done, toWrite.length);
    run.onProgress?.(report);
  }
  return report;
}

async function writeItem(
  run: RestoreRun,
  planned: PlannedContact,
  folderMap: Map<string, string>,
): Promise<WriteItem> {
  const contact: Contact = planned.version.contact;
  let photo: WriteItem['photo'];
  if (contact.photo) {
    try {
      photo = { mediaType: contact.photo.mediaType, bytes: await run.blobs.get(contact.photo.hash) };
    } catch {
      run.context.log(
        `The photo of one contact could not be read from the backup; it is restored without it.`,
      );
    }
  }
  const folderIds =
    run.plan.mode === 'new-folder'
      ? [folderMap.get('*restored*')!]
      : planned.folderIds.map((id) => folderMap.get(id)).filter((id): id is string => Boolean(id));
  return {
    key: planned.contactId,
    contact: {
      ...contact,
      photo: undefined,
      folderIds,
      extra: { ...contact.extra, [SOURCE_UID_EXTRA]: planned.sourceId },
    },
    photo,
    folderIds,
    targetId: planned.action === 'update' ? planned.targetId : undefined,
    restoreId: restoreIdOf(run.runId, planned.contactId),
  };
}

/** Maps source folders to target folders, creating the missing ones (and the dated folder). */
async function mapFolders(run: RestoreRun, report: RestoreReport): Promise<Map<string, string>> {
  const { writer, context, journal } = run;
  const map = new Map<string, string>();
  const targetFolders = await writer.listFolders(context);
  const exists = (id: string | undefined) => Boolean(id && targetFolders.some((folder) => folder.id === id));
  if (run.plan.mode === 'new-folder') {
    const key = '*restored*';
    let id = journal.state.folders.get(key);
    if (!exists(id)) {
      // The name is journaled first, so a resume after a crash right here reuses the same folder.
      let name = journal.state.folders.get('*restored-name*');
      if (!name) {
        name = restoredFolderName(run.now());
        await journal.append({ folder: '*restored-name*', id: name });
      }
      id =
        targetFolders.find((folder) => folder.name === name && !folder.parentId && !folder.system)?.id ??
        (await writer.createFolder(name, undefined, context)).id;
      report.foldersCreated += 1;
      await journal.append({ folder: key, id });
      report.folderName = name;
    } else {
      report.folderName = targetFolders.find((folder) => folder.id === id)?.name;
    }
    map.set('*restored*', id!);
    return map;
  }
  const sources = new Map(run.plan.sourceFolders.map((folder) => [folder.id, folder]));
  const resolve = async (folder: ContactFolder): Promise<string | undefined> => {
    if (map.has(folder.id)) return map.get(folder.id);
    let id: string | undefined;
    const journaled = journal.state.folders.get(folder.id);
    if (run.sameUser && exists(folder.id)) id = folder.id;
    else if (exists(journaled)) id = journaled;
    else if (folder.system) id = targetFolders.find((candidate) => candidate.system === folder.system)?.id;
    if (!id) {
      const parentId =
        folder.parentId && sources.has(folder.parentId)
          ? await resolve(sources.get(folder.parentId)!)
          : undefined;
      id = targetFolders.find(
        (candidate) => candidate.name === folder.name && candidate.parentId === parentId && !candidate.system,
      )?.id;
      if (!id && folder.system) return undefined;
      if (!id) {
        const created = await writer.createFolder(folder.name, parentId, context);
        targetFolders.push(created);
        id = created.id;
        report.foldersCreated += 1;
      }
      await journal.append({ folder: folder.id, id });
    }
    map.set(folder.id, id);
    return id;
  };
  for (const folder of run.plan.sourceFolders) await resolve(folder);
  return map;
}
