/**
 * Carries out a restore plan against a target's writer: folders first, then contacts in batches,
 * writing the journal after every batch so a resume after a crash or cancel creates nothing twice.
 */
import type { Low } from 'lowdb';
import type { Contact, ContactFolder } from '../contacts/model';
import type { ContactWriter, WorkContext, WriteItem, WriteResult } from '../providers/provider';
import type { BlobStore } from '../vault/blob-store';
import type { UserKey } from '../history/types';
import { bestDisplayName } from '../contacts/model';
import { journalKey, type PlannedContact, type RestorePlan } from './restore-plan';

export interface RestoreJournalFile {
  version: 1;
  /** journal key → target id (contacts: see journalKey; folders: `folder|target|sourceFolderId[|runId]`). */
  entries: Record<string, string>;
}

export interface RestoreReport {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  foldersCreated: number;
  failures: { contactId: string; name: string; reason: string }[];
  unmappedFields: readonly string[];
  folderName?: string;
}

export interface RestoreRun {
  readonly plan: RestorePlan;
  readonly writer: ContactWriter;
  readonly targetUserKey: UserKey;
  readonly sameUser: boolean;
  readonly runId: string;
  readonly journal: Low<RestoreJournalFile>;
  readonly blobs: BlobStore;
  readonly context: WorkContext;
  readonly now: () => Date;
  /** Called after each batch with the running report (job counts). */
  readonly onProgress?: (report: RestoreReport) => void;
}

const BATCH = 100;

function restoredFolderName(now: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `Restored ${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
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
  };
  const folderMap = await mapFolders(run, report);
  const toWrite = plan.contacts.filter((planned) => {
    if (planned.action === 'skip') report.skipped += 1;
    return planned.action !== 'skip';
  });
  let done = 0;
  for (let start = 0; start < toWrite.length; start += BATCH) {
    if (context.signal.aborted) throw context.signal.reason;
    const batch = toWrite.slice(start, start + BATCH);
    const creates: WriteItem[] = [];
    const updates: WriteItem[] = [];
    for (const planned of batch) {
      const item = await writeItem(run, planned, folderMap);
      (planned.action === 'update' ? updates : creates).push(item);
    }
    const results: WriteResult[] = [
      ...(creates.length ? await writer.create(creates, context) : []),
      ...(updates.length ? await writer.update(updates, context) : []),
    ];
    const byKey = new Map(batch.map((planned) => [planned.contactId, planned]));
    for (const result of results) {
      const planned = byKey.get(result.key)!;
      if (result.ok) {
        journal.data.entries[
          journalKey(run.targetUserKey, planned.contactId, plan.mode === 'new-folder' ? run.runId : undefined)
        ] = result.targetId;
        if (planned.action === 'update') report.updated += 1;
        else report.created += 1;
      } else {
        report.failed += 1;
        report.failures.push({
          contactId: planned.contactId,
          name: bestDisplayName(planned.contact),
          reason: result.error,
        });
      }
    }
    // The journal is the crash boundary: everything written so far is recorded before going on.
    await journal.write();
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
  const contact: Contact = planned.contact;
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
    contact: { ...contact, photo: undefined, folderIds },
    photo,
    folderIds,
    targetId: planned.action === 'update' ? planned.targetId : undefined,
  };
}

/** Maps source folders to target folders, creating the missing ones (and the dated folder). */
async function mapFolders(run: RestoreRun, report: RestoreReport): Promise<Map<string, string>> {
  const { writer, context, journal } = run;
  const map = new Map<string, string>();
  const targetFolders = await writer.listFolders(context);
  const exists = (id: string | undefined) => Boolean(id && targetFolders.some((folder) => folder.id === id));
  if (run.plan.mode === 'new-folder') {
    const key = `folder|${run.targetUserKey}|*restored*|${run.runId}`;
    let id = journal.data.entries[key];
    if (!exists(id)) {
      const name = restoredFolderName(run.now());
      id = (await writer.createFolder(name, undefined, context)).id;
      report.foldersCreated += 1;
      journal.data.entries[key] = id;
      await journal.write();
      report.folderName = name;
    }
    map.set('*restored*', id!);
    return map;
  }
  const sources = new Map(run.plan.sourceFolders.map((folder) => [folder.id, folder]));
  const resolve = async (folder: ContactFolder): Promise<string | undefined> => {
    if (map.has(folder.id)) return map.get(folder.id);
    const key = `folder|${run.targetUserKey}|${folder.id}`;
    let id: string | undefined;
    if (run.sameUser && exists(folder.id)) id = folder.id;
    else if (exists(journal.data.entries[key])) id = journal.data.entries[key];
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
      journal.data.entries[key] = id;
    }
    map.set(folder.id, id);
    return id;
  };
  for (const folder of run.plan.sourceFolders) await resolve(folder);
  await journal.write();
  return map;
}
