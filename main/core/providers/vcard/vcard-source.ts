/**
 * Reads a vCard source from disk: one .vcf file, or a folder of .vcf files searched recursively.
 * Folders of the result are the CATEGORIES values (top level) and the sub-folders of the source
 * folder (nested through parentId), so a folder tree written by the vCard writer reads back as the
 * same tree.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { Contact, ContactFolder } from '../../contacts/model';
import { decodeVcardBytes, parseVcardsSliced } from '../../contacts/vcard-parse';
import { timeSlicer } from '../../time-slice';
import { ProviderError, type PhotoBytes, type SourceContact } from '../provider';

/** Folder id of a CATEGORIES value. */
export function categoryFolderId(name: string): string {
  return `category:${name}`;
}

/** Folder id of a sub-folder, by its path relative to the source folder (always with `/`). */
export function directoryFolderId(relativePath: string): string {
  return `folder:${relativePath}`;
}

/** Everything a full read of the source gives. */
export interface VcardBook {
  readonly folders: ContactFolder[];
  readonly contacts: SourceContact[];
  /** Cards that could not be read, when the caller chose to skip them. */
  readonly skipped: { readonly file: string; readonly line: number; readonly message: string }[];
}

export interface ReadOptions {
  /** Skip malformed cards instead of refusing the whole source (the default refuses). */
  readonly skipMalformed?: boolean;
  readonly signal?: AbortSignal;
}

/** A SHA-256 hex digest; the photo key and the fallback source id. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Reads the whole source. A missing path, an unreadable file or a malformed card (unless
 * `skipMalformed`) gives ProviderError('invalid-input') with a sentence naming the file and line.
 */
/** Stats the chosen source, turning a missing or empty setting into a sentence for the user. */
async function statSource(path: string) {
  if (!path || !path.trim()) {
    throw new ProviderError('invalid-input', 'No vCard file or folder was chosen for this account.');
  }
  try {
    return await stat(path);
  } catch {
    throw new ProviderError(
      'invalid-input',
      `The vCard file or folder "${path}" does not exist or cannot be opened.`,
    );
  }
}

export async function readVcardBook(path: string, options: ReadOptions = {}): Promise<VcardBook> {
  const info = await statSource(path);
  const directoryFolders: ContactFolder[] = [];
  const files: { path: string; relative: string; folderId?: string }[] = [];
  if (info.isDirectory()) {
    await walk(path, path, undefined, directoryFolders, files, options.signal);
  } else {
    files.push({ path, relative: '' });
  }

  const categoryFolders = new Map<string, ContactFolder>();
  const contacts: SourceContact[] = [];
  const byId = new Map<string, { index: number; fingerprint: string }>();
  const skipped: { file: string; line: number; message: string }[] = [];
  const slice = timeSlicer();
  for (const file of files) {
    options.signal?.throwIfAborted();
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file.path);
    } catch {
      throw new ProviderError('invalid-input', `The vCard file "${file.path}" cannot be read.`);
    }
    // In slices: a file of tens of thousands of cards must not stop the thread that answers the UI.
    const { cards, errors } = await parseVcardsSliced(decodeVcardBytes(bytes), slice);
    if (errors.length > 0) {
      if (!options.skipMalformed || cards.length === 0) {
        const first = errors[0];
        const more = errors.length > 1 ? ` (${errors.length - 1} more problems follow)` : '';
        throw new ProviderError(
          'invalid-input',
          `The vCard file "${file.path}" is not valid at line ${first.line}: ${first.message}${more}`,
        );
      }
      for (const error of errors) skipped.push({ file: file.path, ...error });
    }
    for (const card of cards) {
      await slice();
      const folderIds: string[] = [];
      if (file.folderId) folderIds.push(file.folderId);
      for (const category of card.categories) {
        const id = categoryFolderId(category);
        if (!categoryFolders.has(id)) categoryFolders.set(id, { id, name: category });
        if (!folderIds.includes(id)) folderIds.push(id);
      }
      const contact: Contact = { ...card.contact, folderIds };
      const photoKey = card.photo ? sha256Hex(card.photo.bytes) : undefined;
      const baseId = card.uid ?? `vcard-${sha256Hex(`${file.relative}\n${card.source}`).slice(0, 32)}`;
      const fingerprint = JSON.stringify({ ...contact, folderIds: [] }) + (photoKey ?? '');
      const seen = byId.get(baseId);
      if (seen && seen.fingerprint === fingerprint) {
        // The same card in several folders (the vCard writer stores one copy per folder): one contact.
        const existing = contacts[seen.index];
        const merged = [
          ...existing.contact.folderIds,
          ...folderIds.filter((id) => !existing.contact.folderIds.includes(id)),
        ];
        contacts[seen.index] = { ...existing, contact: { ...existing.contact, folderIds: merged } };
        continue;
      }
      let sourceId = baseId;
      for (let suffix = 2; byId.has(sourceId); suffix++) sourceId = `${baseId}#${suffix}`;
      byId.set(sourceId, { index: contacts.length, fingerprint });
      contacts.push({
        sourceId,
        contact,
        ...(card.photo && photoKey ? { photo: photoSource(photoKey, card.photo) } : {}),
      });
    }
  }
  return { folders: [...directoryFolders, ...categoryFolders.values()], contacts, skipped };
}

function photoSource(key: string, photo: PhotoBytes) {
  return { key, load: async () => photo };
}

async function walk(
  root: string,
  directory: string,
  parentId: string | undefined,
  folders: ContactFolder[],
  files: { path: string; relative: string; folderId?: string }[],
  signal: AbortSignal | undefined,
): Promise<void> {
  signal?.throwIfAborted();
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch {
    throw new ProviderError('invalid-input', `The folder "${directory}" cannot be read.`);
  }
  // Sorted so the order of contacts and folders is the same on every read and every OS.
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(directory, entry.name);
    if (entry.isFile() && /\.(vcf|vcard)$/i.test(entry.name)) {
      files.push({
        path: full,
        relative: toPosix(relative(root, full)),
        ...(parentId ? { folderId: parentId } : {}),
      });
    }
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || !entry.isDirectory()) continue;
    const full = join(directory, entry.name);
    const id = directoryFolderId(toPosix(relative(root, full)));
    folders.push({ id, name: basename(full), ...(parentId ? { parentId } : {}) });
    await walk(root, full, id, folders, files, signal);
  }
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/**
 * A hash of everything a read would see (file names, folder tree and bytes): the vCard provider's
 * sync cursor. An unchanged source is then recognised by hashing, without parsing a single card.
 */
export async function sourceFingerprint(path: string, signal?: AbortSignal): Promise<string> {
  const info = await statSource(path);
  const folders: ContactFolder[] = [];
  const files: { path: string; relative: string; folderId?: string }[] = [];
  if (info.isDirectory()) await walk(path, path, undefined, folders, files, signal);
  else files.push({ path, relative: '' });
  const hash = createHash('sha256');
  hash.update(JSON.stringify(folders));
  for (const file of files) {
    signal?.throwIfAborted();
    hash.update(`\u0000${file.relative}\u0000`);
    try {
      hash.update(await readFile(file.path));
    } catch {
      throw new ProviderError('invalid-input', `The vCard file "${file.path}" cannot be read.`);
    }
  }
  return `sha256:${hash.digest('hex')}`;
}
