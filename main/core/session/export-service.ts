/**
 * Export jobs (S5, B7): selected contacts, folders, or everything of a user, from any point in
 * time, to PST (Outlook), vCard 4.0/3.0 or CSV (Google and Outlook layouts). The file is written
 * under a temporary name (0600, export/partial-files.ts) and renamed when complete, so a cancelled
 * or failed export never leaves a half file under the chosen name, and a killed one leaves a private
 * file that the next export removes. A password ZIP is encrypted as it streams: no plaintext copy
 * is written. A photo that cannot be read is a warning (count `photosMissing`, the CLI exits 4).
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { ExportFormat, ExportRequest } from '../contract/contract-types';
import { ApiFailure } from '../contract/api-failure';
import type { Contact, ContactFolder } from '../contacts/model';
import type { JobContext } from '../jobs/job-registry';
import type { JobRecord } from '../jobs/types';
import type { PhotoBytes } from '../contacts/model';
import { writePst, type PstContactInput, type PstFolderInput } from '../export/pst';
import { vcfCardStream, writeVcfFile } from '../export/vcard-export';
import { csvChunks } from '../export/csv-export';
import { zipStreamWithPassword } from '../export/zip-encrypt';
import { EncryptedScratchFile } from '../export/encrypted-scratch-file';
import { holdPartial, partialPath, removeStalePartials } from '../export/partial-files';
import { JobFailure } from '../jobs/job-registry';
import { findUser } from './account-service';
import { userLabel } from './backup-service';
import type { ProfileSession } from './profile-session';
import type { Version } from '../history/history-index';
import { StoredWalk } from '../history/segment-contacts';
import { count } from '../plural';

const EXTENSIONS: Record<ExportFormat, string> = {
  pst: 'pst',
  vcf: 'vcf',
  vcf3: 'vcf',
  'csv-google': 'csv',
  'csv-outlook': 'csv',
};

interface ExportParams extends Omit<ExportRequest, 'zipPassword'> {
  readonly path: string;
  readonly zip: boolean;
}

interface Selected {
  readonly contactId: string;
  /** The source's id of the contact (a vCard source's UID), written as the exported UID. */
  readonly sourceId: string;
  /** Its contact is read from the backup when written, in storage order (segment-contacts.ts). */
  readonly version: Version;
}

/** The default file name: under the data folder's exports/, named for the user and the time. */
function defaultPath(session: ProfileSession, request: ExportRequest): string {
  const { user } = findUser(session, request.userKey);
  const stamp = session.ports.clock.now().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  const stem =
    userLabel(user)
      .replace(/[^\p{L}\p{N}._-]+/gu, '_')
      .slice(0, 60) || 'contacts';
  return join(session.ports.home, 'exports', `${stem}-${stamp}.${EXTENSIONS[request.format]}`);
}

export function enqueueExport(
  session: ProfileSession,
  request: ExportRequest,
  origin: JobRecord['origin'],
): JobRecord {
  const { account, user } = findUser(session, request.userKey);
  const zip = Boolean(request.zipPassword);
  const wanted = request.path ?? `${defaultPath(session, request)}${zip ? '.zip' : ''}`;
  const path = resolve(wanted);
  const extension = zip ? `.${EXTENSIONS[request.format]}.zip` : `.${EXTENSIONS[request.format]}`;
  if (!path.toLowerCase().endsWith(extension)) {
    throw new ApiFailure('invalid-request', `The file name must end in ${extension}.`);
  }
  if (zip && request.zipPassword!.length < 8) {
    throw new ApiFailure('invalid-request', 'The ZIP password must have at least 8 characters.');
  }
  const what = request.contactIds?.length
    ? `${count(request.contactIds.length, 'contact')}`
    : request.folderIds?.length
      ? `${count(request.folderIds.length, 'folder')}`
      : 'all contacts';
  const { zipPassword, ...rest } = request;
  const params: ExportParams = { ...rest, path, zip };
  const { job } = session.jobs.enqueue({
    kind: 'export',
    title: `Export ${what} of ${userLabel(user)} (${account.label}) to ${basename(path)}`,
    scope: {
      accountId: account.id,
      userId: user.id,
      contactIds: request.contactIds,
      folderIds: request.folderIds,
    },
    origin,
    urgent: true,
    params,
    // Exports only read the backup: they never wait for a backup of the same user.
    lockKey: `export:${path}`,
    dedupeKey: `export:${path}`,
  });
  if (zipPassword) session.memory.zipPasswords.set(job.id, zipPassword);
  return job;
}

function selectForExport(session: ProfileSession, request: ExportRequest): Selected[] {
  const wanted = request.contactIds?.length ? new Set(request.contactIds) : undefined;
  const folders = request.folderIds?.length ? new Set(request.folderIds) : undefined;
  const selected: Selected[] = [];
  // In storage order: each segment is read once for the contacts it holds (segment-contacts.ts).
  for (const state of session.history.index.contactsAtStored(new Set([request.userKey]), request.at)) {
    if (wanted ? !wanted.has(state.history.id) : state.deleted) continue;
    if (folders && !state.version.folderIds.some((id) => folders.has(id))) continue;
    selected.push({ contactId: state.history.id, sourceId: state.history.sourceId, version: state.version });
  }
  if (wanted && selected.length !== wanted.size) {
    throw new ApiFailure('not-found', 'Some selected contacts are not in this user’s backup.');
  }
  return selected;
}

/** Photos an export could not read, per running job. */
const missingPhotos = new WeakMap<JobContext, number>();

/** Counts photos that could not be read: the export goes on without them and ends with a warning. */
async function photoOf(
  session: ProfileSession,
  contact: Contact,
  context: JobContext,
): Promise<PhotoBytes | undefined> {
  if (!contact.photo) return undefined;
  try {
    return { mediaType: contact.photo.mediaType, bytes: await session.vault.blobs.get(contact.photo.hash) };
  } catch {
    missingPhotos.set(context, (missingPhotos.get(context) ?? 0) + 1);
    context.count('photosMissing');
    context.log('Warning: one photo could not be read from the backup; its contact is exported without it.');
    return undefined;
  }
}

/** PST folders: the user folders the exported contacts are in, nested as in the backup. */
function pstFolders(
  folders: readonly ContactFolder[],
  selected: readonly Selected[],
  only?: ReadonlySet<string>,
) {
  const byId = new Map(folders.map((folder) => [folder.id, folder]));
  const used = new Map<string, PstFolderInput>();
  const add = (folder: ContactFolder): void => {
    if (used.has(folder.id)) return;
    const parent = folder.parentId ? byId.get(folder.parentId) : undefined;
    if (parent && !parent.system) add(parent);
    used.set(folder.id, {
      id: folder.id,
      name: folder.name,
      parentId: parent && !parent.system ? parent.id : undefined,
    });
  };
  const DEFAULT = { id: '*contacts*', name: 'Contacts' };
  const placement = new Map<string, string>();
  for (const item of selected) {
    const candidates = item.version.folderIds
      .map((id) => byId.get(id))
      .filter((folder): folder is ContactFolder =>
        Boolean(folder && !folder.system && (!only || only.has(folder.id))),
      );
    const folder = candidates[0];
    if (folder) {
      add(folder);
      placement.set(item.contactId, folder.id);
    } else {
      used.set(DEFAULT.id, DEFAULT);
      placement.set(item.contactId, DEFAULT.id);
    }
  }
  if (only) for (const id of only) if (byId.get(id) && !byId.get(id)!.system) add(byId.get(id)!);
  return { folders: [...used.values()], placement };
}

/**
 * Removes what killed exports left (private `.partial` files), in the default exports folder and in
 * the folder of every export the job list remembers; run when a profile is opened.
 */
export async function removeExportLeftovers(session: ProfileSession): Promise<number> {
  const folders = new Set([join(session.ports.home, 'exports')]);
  for (const job of session.jobs.list()) {
    const path = job.kind === 'export' ? (job.params as Partial<ExportParams> | undefined)?.path : undefined;
    if (typeof path === 'string') folders.add(dirname(path));
  }
  let removed = 0;
  for (const folder of folders) removed += (await removeStalePartials(folder)).length;
  return removed;
}

/**
 * The selected contacts with each segment read ahead, off the thread (`selected` is in storage
 * order already, see selectForExport).
 */
async function* readAhead(
  selected: readonly Selected[],
): AsyncGenerator<{ item: Selected; contact: Contact }> {
  const walk = new StoredWalk(selected.map((item) => item.version));
  for (let step = 0; step < walk.order.length; step += 1) {
    await walk.ready(step);
    const item = selected[walk.order[step]!]!;
    yield { item, contact: item.version.contact };
  }
}

/** Rows joined into pieces of about 64 KB: one write each, never the whole file in memory. */
function* batched(chunks: Iterable<string>): Generator<string> {
  let pending: string[] = [];
  let length = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    length += chunk.length;
    if (length >= 65_536) {
      yield pending.join('');
      pending = [];
      length = 0;
    }
  }
  if (pending.length) yield pending.join('');
}

/** Text chunks as a byte stream (a Readable of strings would hand the ZIP writer strings). */
function utf8Stream(chunks: Iterable<string> | AsyncIterable<string>): Readable {
  return Readable.from(
    (async function* () {
      for await (const chunk of chunks) yield Buffer.from(chunk, 'utf8');
    })(),
  );
}

/** Where the export's bytes go: the plaintext file itself, or a stream into the password ZIP. */
interface ExportTarget {
  readonly params: ExportParams;
  /** The file written when there is no ZIP (0600). */
  readonly temporary: string;
  readonly zipPassword?: string;
}

/** Writes a plain export to `target.temporary`, or streams it into the ZIP at `target.temporary`. */
async function writeFormat(
  session: ProfileSession,
  context: JobContext,
  target: ExportTarget,
  selected: readonly Selected[],
  folders: readonly ContactFolder[],
): Promise<void> {
  const { params, temporary, zipPassword } = target;
  const { user } = findUser(session, params.userKey);
  const total = selected.length;
  const folderName = new Map(folders.map((folder) => [folder.id, folder.name]));
  const namesOf = (contact: Contact) =>
    contact.folderIds.map((id) => folderName.get(id)).filter((name): name is string => Boolean(name));
  const entryName = basename(params.path).slice(0, -'.zip'.length);
  const intoZip = (source: Readable) =>
    zipStreamWithPassword(source, entryName, temporary, zipPassword!, context.signal);

  if (params.format === 'pst') {
    const { folders: pstFolderList, placement } = pstFolders(
      folders,
      selected,
      params.folderIds?.length ? new Set(params.folderIds) : undefined,
    );
    const rows = async function* (): AsyncGenerator<PstContactInput> {
      for await (const { item, contact } of readAhead(selected)) {
        yield {
          folderId: placement.get(item.contactId)!,
          contact,
          photo: await photoOf(session, contact, context),
        };
      }
    };
    const options = {
      signal: context.signal,
      onProgress: (done: number) => context.progress('Exporting', done, total),
      storeName: `Contacts of ${userLabel(user)}`,
    };
    if (!params.zip) {
      await writePst(temporary, pstFolderList, rows(), options);
      return;
    }
    // The PST writer needs random access, so it writes an encrypted scratch file whose key lives
    // only in memory; the ZIP reads it back decrypted. No plaintext PST is ever on disk.
    const scratchPath = partialPath(params.path, 'scratch');
    const release = holdPartial(scratchPath);
    await rm(scratchPath, { force: true });
    const scratch = await EncryptedScratchFile.create(scratchPath);
    try {
      await writePst(scratchPath, pstFolderList, rows(), { ...options, output: scratch });
      context.signal.throwIfAborted();
      context.progress('Encrypting the ZIP', total, total);
      await intoZip(scratch.plaintextStream());
    } finally {
      await rm(scratchPath, { force: true });
      release();
    }
    return;
  }

  if (params.format === 'vcf' || params.format === 'vcf3') {
    let done = 0;
    const rows = async function* () {
      for await (const { item, contact } of readAhead(selected)) {
        yield {
          contact,
          folderNames: namesOf(contact),
          photo: await photoOf(session, contact, context),
          // The source's own UID (vCard sources) or id, never our internal id: CardDAV servers
          // and Apple deduplicate by UID.
          uid: item.sourceId,
        };
        done += 1;
        if (done % 200 === 0) context.progress('Exporting', done, total);
      }
    };
    const version = params.format === 'vcf3' ? '3.0' : '4.0';
    if (params.zip) await intoZip(utf8Stream(vcfCardStream(rows(), version, context.signal)));
    else await writeVcfFile(rows(), temporary, version, context.signal);
    return;
  }

  const layout = params.format === 'csv-google' ? 'google' : 'outlook';
  // Outlook's importer reads UTF-8 only with a byte-order mark (csvChunks starts Outlook's with one).
  // Rows read from the backup as they are written (twice for Google's layout, see csvChunks).
  const rows = {
    *[Symbol.iterator]() {
      for (const item of selected) {
        const contact = item.version.contact;
        yield { contact, folderNames: namesOf(contact) };
      }
    },
  };
  const chunks = csvChunks(rows, layout);
  if (params.zip) await intoZip(utf8Stream(chunks));
  else await writeFile(temporary, batched(chunks), { encoding: 'utf8', mode: 0o600 });
}

export async function exportJob(
  session: ProfileSession,
  context: JobContext,
  raw: unknown,
): Promise<unknown> {
  const params = raw as ExportParams;
  const { user } = findUser(session, params.userKey);
  const selected = selectForExport(session, params);
  const folders = session.history.index.foldersAt(params.userKey, params.at);
  const zipPassword = session.memory.zipPasswords.get(context.job.id);
  session.memory.zipPasswords.delete(context.job.id);
  if (params.zip && !zipPassword) {
    throw new JobFailure(
      'zip-password',
      'Export again and enter the ZIP password (it is never stored).',
      false,
    );
  }
  // Folders this app creates for exports are private (0700); an existing folder keeps its mode.
  await mkdir(dirname(params.path), { recursive: true, mode: 0o700 });
  // A killed export could not remove its temporary file: do it now, here and in the default folder.
  for (const folder of new Set([dirname(params.path), join(session.ports.home, 'exports')])) {
    for (const name of await removeStalePartials(folder)) {
      context.log(`Removed ${name}, left by an export that was interrupted.`);
    }
  }
  const temporary = partialPath(params.path);
  const release = holdPartial(temporary);
  const total = selected.length;
  context.progress('Exporting', 0, total);
  try {
    // A file left under this name would keep its old mode when opened again.
    await rm(temporary, { force: true });
    await writeFormat(session, context, { params, temporary, zipPassword }, selected, folders);
    context.signal.throwIfAborted();
    await rename(temporary, params.path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    release();
  }
  const photosMissing = missingPhotos.get(context) ?? 0;
  context.progress('Done', total, total);
  context.setCount('exported', total);
  context.log(`Wrote ${count(total, 'contact')} to ${params.path}.`);
  if (photosMissing) {
    context.log(
      `Warning: ${count(photosMissing, 'photo')} could not be read from the backup; the export has no photo for those contacts.`,
    );
  }
  await session.audit.record(
    'export',
    `Exported ${count(total, 'contact')} of ${userLabel(user)} as ${params.format} to ${params.path}.`,
  );
  return {
    path: params.path,
    contacts: total,
    format: params.format,
    ...(photosMissing ? { photosMissing } : {}),
  };
}
