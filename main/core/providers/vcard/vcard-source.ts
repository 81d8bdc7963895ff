/**
 * Reads a vCard source from disk: one .vcf file, or a folder of .vcf files searched recursively.
 * Folders of the result are the CATEGORIES values (top level) and the sub-folders of the source
 * folder (nested through parentId), so a folder tree written by the vCard writer reads back as the
 * same tree.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { Contact, ContactFolder } from '../../contacts/model';
import {
  decodeVcardChunks,
  decodeVcardStream,
  parseSplitCards,
  type ParsedVcard,
  type VcardError,
} from '../../contacts/vcard-parse';
import { splitCards } from '../../contacts/vcard-syntax';
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
  /** What each file held, by its path relative to the source. */
  readonly perFile: ReadonlyMap<string, FileContents>;
}

export interface ReadOptions {
  /** Skip malformed cards instead of refusing the whole source (the default refuses). */
  readonly skipMalformed?: boolean;
  readonly signal?: AbortSignal;
  /** Record each card's hash with its source id (`FileContents.cards`), for `unchangedCard` later. */
  readonly hashCards?: boolean;
  /**
   * True for a card hash known unchanged since the last read: that card is not parsed and not
   * returned; its hash goes to `FileContents.unchanged` (a big single file, issue 20).
   */
  readonly unchangedCard?: (hash: string) => boolean;
  /** Hand contacts on in pages while reading instead of returning them all (flat memory). */
  readonly pages?: PageOptions;
}

/**
 * Paged reading (issue 20): contacts are handed to `emit` at file boundaries once `size` are
 * waiting, so a 100,000-card source is never held parsed as a whole. A later identical card with
 * the same id (one contact in several folders) is handed on again with the merged folders.
 */
export interface PageOptions {
  readonly size: number;
  /** Contacts kept to the end: ids the last read found in several files, so they go once, merged. */
  readonly holdBack: (sourceId: string) => boolean;
  readonly emit: (contacts: SourceContact[]) => Promise<void>;
}

/** What is kept of a contact already handed on: enough to merge a later copy of it. */
interface Emitted {
  readonly fingerprint: string;
  readonly folderIds: readonly string[];
}

/** A short hash of a card's unfolded text (`ParsedVcard.source`): the same bytes, the same card. */
export function cardHash(source: string): string {
  return createHash('sha256').update(source).digest('base64url').slice(0, 22);
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

/** One .vcf file of a source; `folderId` is its sub-folder's id when the source is a folder. */
export interface SourceFile {
  readonly path: string;
  /** Path relative to the source folder, with `/` ('' when the source is one file). */
  readonly relative: string;
  readonly folderId?: string;
}

/** What a file held at its last read: enough to leave it unread while it is unchanged. */
export interface FileContents {
  /** Source ids of the contacts read from the file (a contact in several files is in each). */
  readonly ids: string[];
  /** Its CATEGORIES values (top-level folders). */
  readonly categories: string[];
  /** With `hashCards`: each card read, as its hash, source id and categories. */
  cards?: CardEntry[];
  /** With `unchangedCard`: hashes of the cards left unparsed because they are unchanged. */
  unchanged?: string[];
}

/** One card of a file: hash of its text, its source id, its CATEGORIES values. */
export type CardEntry = [hash: string, sourceId: string, categories: string[]];

/** The files and sub-folders of a source, found without reading any file. */
export interface ListedSource {
  readonly directoryFolders: ContactFolder[];
  readonly files: SourceFile[];
  readonly single: boolean;
}

/** Lists a source's files and sub-folders (a missing path is a sentence for the user). */
export async function listSource(path: string, signal?: AbortSignal): Promise<ListedSource> {
  const info = await statSource(path);
  const directoryFolders: ContactFolder[] = [];
  const files: SourceFile[] = [];
  if (info.isDirectory()) await walk(path, path, undefined, directoryFolders, files, signal);
  else files.push({ path, relative: '' });
  return { directoryFolders, files, single: !info.isDirectory() };
}

export async function readVcardBook(path: string, options: ReadOptions = {}): Promise<VcardBook> {
  const listed = await listSource(path, options.signal);
  const read = await readVcardFiles(listed.files, options);
  return {
    folders: [...listed.directoryFolders, ...read.categoryFolders],
    contacts: read.contacts,
    skipped: read.skipped,
    perFile: read.perFile,
  };
}

/** Contacts read from some files of a source, with what each file held. */
export interface FilesRead {
  readonly contacts: SourceContact[];
  readonly categoryFolders: ContactFolder[];
  readonly skipped: { readonly file: string; readonly line: number; readonly message: string }[];
  /** By `SourceFile.relative`. */
  readonly perFile: Map<string, FileContents>;
}

/**
 * Reads and parses these files in order. A card found again with the same content in another file
 * (the vCard writer stores one copy per folder) is one contact in several folders; a different card
 * with a UID already seen gets `#2`, `#3`, ... so neither is lost.
 */
export async function readVcardFiles(
  files: readonly SourceFile[],
  options: ReadOptions = {},
): Promise<FilesRead> {
  const categoryFolders = new Map<string, ContactFolder>();
  let contacts: SourceContact[] = [];
  // The fingerprint of a contact is worked out only when a second card with its id turns up, or
  // when it is handed on (then only its hash is kept).
  const byId = new Map<string, number | Emitted>();
  const pages = options.pages;
  let heldBack = 0;
  const emitPage = async () => {
    const waiting: SourceContact[] = [];
    const out: SourceContact[] = [];
    for (const item of contacts) (pages!.holdBack(item.sourceId) ? waiting : out).push(item);
    for (const item of out) {
      const fingerprint = cardHash(fingerprintOf(item.contact, item.photo?.key));
      byId.set(item.sourceId, { fingerprint, folderIds: item.contact.folderIds });
    }
    waiting.forEach((item, index) => byId.set(item.sourceId, index));
    contacts = waiting;
    heldBack = waiting.length;
    if (out.length > 0) await pages!.emit(out);
  };
  const skipped: { file: string; line: number; message: string }[] = [];
  const perFile = new Map<string, FileContents>();
  const slice = timeSlicer();
  for await (const { file, text } of readInSlices(files, options.signal)) {
    const unchanged: string[] = [];
    const held: FileContents = { ids: [], categories: [] };
    if (options.hashCards) held.cards = [];
    if (options.unchangedCard) held.unchanged = unchanged;
    perFile.set(file.relative, held);
    // A big file is parsed a chunk of cards at a time, so paged reading stays flat within it too.
    const fileErrors: VcardError[] = [];
    let good = 0;
    let empty = true;
    for await (const piece of cardPieces(text(slice))) {
      if (empty && piece.text.trim() !== '') empty = false;
      const split = splitCards(piece.text, piece.firstLine);
      if (options.unchangedCard) {
        const isUnchanged = options.unchangedCard;
        split.cards = split.cards.filter((raw) => {
          if (raw.error) return true;
          const hash = cardHash(raw.lines.map((entry) => entry.text).join('\n'));
          if (!isUnchanged(hash)) return true;
          unchanged.push(hash);
          return false;
        });
      }
      for (let start = 0; start === 0 || start < split.cards.length; start += PARSE_STEP) {
        // Between chunks the thread answers the UI: a file of tens of thousands of cards never holds it.
        await slice();
        const { cards, errors } = parseSplitCards({
          cards: split.cards.slice(start, start + PARSE_STEP),
          stray: start === 0 ? split.stray : [],
        });
        fileErrors.push(...errors);
        good += cards.length;
        // A file that will be refused: only its remaining errors are wanted, for the message.
        if (fileErrors.length > 0 && !options.skipMalformed) continue;
        if (pages && contacts.length - heldBack >= pages.size) await emitPage();
        addCards(file, cards, held);
      }
    }
    // An empty file is never "an address book with no contacts": read that way, every contact
    // backed up from it would be marked deleted at the source (a truncated write, a failed sync).
    if (empty) {
      throw new ProviderError(
        'invalid-input',
        `The vCard file "${file.path}" is empty: the file is empty, so nothing was read and no contact is marked deleted.`,
      );
    }
    if (fileErrors.length > 0) {
      fileErrors.sort((a, b) => a.line - b.line);
      if (!options.skipMalformed || good === 0) {
        const first = fileErrors[0]!;
        const more = fileErrors.length > 1 ? ` (${fileErrors.length - 1} more problems follow)` : '';
        throw new ProviderError(
          'invalid-input',
          `The vCard file "${file.path}" is not valid at line ${first.line}: ${first.message}${more}`,
        );
      }
      for (const error of fileErrors) skipped.push({ file: file.path, ...error });
    }
  }
  return { contacts, categoryFolders: [...categoryFolders.values()], skipped, perFile };

  function addCards(file: SourceFile, cards: readonly ParsedVcard[], held: FileContents): void {
    for (const card of cards) {
      const folderIds: string[] = [];
      if (file.folderId) folderIds.push(file.folderId);
      for (const category of card.categories) {
        const id = categoryFolderId(category);
        if (!categoryFolders.has(id)) categoryFolders.set(id, { id, name: category });
        if (!folderIds.includes(id)) folderIds.push(id);
        if (!held.categories.includes(category)) held.categories.push(category);
      }
      const contact: Contact = { ...card.contact, folderIds };
      const photoKey = card.photo ? sha256Hex(card.photo.bytes) : undefined;
      const baseId = card.uid ?? `vcard-${sha256Hex(`${file.relative}\n${card.source}`).slice(0, 32)}`;
      const seen = byId.get(baseId);
      if (typeof seen === 'object') {
        if (seen.fingerprint === cardHash(fingerprintOf(contact, photoKey))) {
          // A copy of a contact already handed on: hand it on again only if it adds folders.
          const added = folderIds.filter((id) => !seen.folderIds.includes(id));
          if (!held.ids.includes(baseId)) held.ids.push(baseId);
          held.cards?.push([cardHash(card.source), baseId, card.categories]);
          if (added.length === 0) continue;
          const merged = [...seen.folderIds, ...added];
          byId.set(baseId, contacts.length);
          contacts.push({
            sourceId: baseId,
            contact: { ...contact, folderIds: merged },
            ...(card.photo && photoKey ? { photo: photoSource(photoKey, card.photo) } : {}),
          });
          continue;
        }
      }
      const same =
        typeof seen === 'number' &&
        seen !== undefined &&
        fingerprintOf(contacts[seen].contact, contacts[seen].photo?.key) === fingerprintOf(contact, photoKey);
      if (typeof seen === 'number' && same) {
        // The same card in several folders (the vCard writer stores one copy per folder): one contact.
        const existing = contacts[seen];
        const merged = [
          ...existing.contact.folderIds,
          ...folderIds.filter((id) => !existing.contact.folderIds.includes(id)),
        ];
        contacts[seen] = { ...existing, contact: { ...existing.contact, folderIds: merged } };
        if (!held.ids.includes(baseId)) held.ids.push(baseId);
        held.cards?.push([cardHash(card.source), baseId, card.categories]);
        continue;
      }
      let sourceId = baseId;
      for (let suffix = 2; byId.has(sourceId); suffix++) sourceId = `${baseId}#${suffix}`;
      byId.set(sourceId, contacts.length);
      held.ids.push(sourceId);
      held.cards?.push([cardHash(card.source), sourceId, card.categories]);
      contacts.push({
        sourceId,
        contact,
        ...(card.photo && photoKey ? { photo: photoSource(photoKey, card.photo) } : {}),
      });
    }
  }
}

/** Cards parsed at a time in one file (a 100,000-card file is not held parsed as a whole). */
const PARSE_CHUNK = 500;
/**
 * Cards parsed between two looks at the time slice: 500 cards at once took 40-130 ms on a loaded
 * machine, past the 100 ms the API thread may be held (issue 16 item 4).
 */
const PARSE_STEP = 100;

/** An END:VCARD line directly followed by a BEGIN:VCARD line: a safe place to cut a file. */
const CARD_BOUNDARY =
  /^END[ \t]*:[ \t]*VCARD[ \t]*(?:\r\n|\n|\r)(?=BEGIN[ \t]*:[ \t]*VCARD[ \t]*(?:\r\n|\n|\r|$))/gim;

/**
 * Cuts a file's text into pieces of about PARSE_CHUNK cards, each with the line number it starts
 * at, so a big file is never split into lines as a whole (measured: splitting a 100,000-card file
 * at once held 2.4 GB). Cuts fall only between an END:VCARD and a BEGIN:VCARD line, where the
 * whole-file split would also end one card and start the next.
 */
function* textPieces(text: string): Generator<{ text: string; firstLine: number }> {
  const boundary = new RegExp(CARD_BOUNDARY);
  let start = 0;
  let firstLine = 1;
  let cards = 0;
  for (let match = boundary.exec(text); match; match = boundary.exec(text)) {
    cards += 1;
    if (cards < PARSE_CHUNK) continue;
    const end = match.index + match[0].length;
    const piece = text.slice(start, end);
    yield { text: piece, firstLine };
    firstLine += piece.match(/\r\n|\n|\r/g)?.length ?? 0;
    start = end;
    cards = 0;
  }
  yield { text: start === 0 ? text : text.slice(start), firstLine };
}

/** Text kept back at the end of what is decoded so far: a boundary there may still change. */
const BOUNDARY_MARGIN = 256;

/**
 * `textPieces` over text that arrives in chunks (`decodeVcardChunks`): a piece is cut after
 * PARSE_CHUNK card boundaries once the text past the boundary has arrived, so a big file is never
 * one string. Cards never span a cut, so the cards read are the same wherever the cuts fall.
 */
async function* cardPieces(
  chunks: AsyncIterable<string>,
): AsyncGenerator<{ text: string; firstLine: number }> {
  const boundary = new RegExp(CARD_BOUNDARY);
  let pending = '';
  let firstLine = 1;
  let cards = 0;
  let scanned = 0;
  for await (const chunk of chunks) {
    pending += chunk;
    boundary.lastIndex = scanned;
    for (let match = boundary.exec(pending); match; match = boundary.exec(pending)) {
      if (boundary.lastIndex > pending.length - BOUNDARY_MARGIN) break;
      cards += 1;
      scanned = boundary.lastIndex;
      if (cards < PARSE_CHUNK) continue;
      const piece = pending.slice(0, scanned);
      yield { text: piece, firstLine };
      firstLine += piece.match(/\r\n|\n|\r/g)?.length ?? 0;
      pending = pending.slice(scanned);
      boundary.lastIndex = 0;
      scanned = 0;
      cards = 0;
    }
  }
  for (const piece of textPieces(pending))
    yield { text: piece.text, firstLine: firstLine + piece.firstLine - 1 };
}

/** What makes two cards with one id the same contact: everything but its folders, and the photo. */
function fingerprintOf(contact: Contact, photoKey: string | undefined): string {
  return JSON.stringify({ ...contact, folderIds: [] }) + (photoKey ?? '');
}

/** How long one slice of synchronous reads may hold the thread before it yields (ms). */
const READ_SLICE_MS = 15;

/**
 * Yields each file, in order, with its text to read. Files up to BIG_FILE_BYTES are read
 * synchronously, in slices of at most READ_SLICE_MS between yields to the event loop: measured on
 * 10,000 one-card files on a loaded 2-core machine, one `fs/promises` read at a time took 9.4 s, 16
 * at a time 1.2 s, synchronous reads 0.25-0.5 s (each async read is four thread-pool round trips).
 * The slices keep a host that answers the UI on the same thread responsive. Bigger files are read
 * 2 MB at a time as their text is used (twice: once to check the UTF-8).
 */
async function* readInSlices<T extends { path: string }>(
  files: readonly T[],
  signal: AbortSignal | undefined,
): AsyncGenerator<{ file: T; text: (pause: () => Promise<void> | undefined) => AsyncIterable<string> }> {
  const slice = timeSlicer(READ_SLICE_MS);
  for (const file of files) {
    signal?.throwIfAborted();
    await slice();
    let bytes: Uint8Array | undefined;
    let size = 0;
    try {
      const descriptor = openSync(file.path, 'r');
      try {
        size = fstatSync(descriptor).size;
        // A big file is read from disk a piece at a time as it is decoded, never held whole.
        if (size <= BIG_FILE_BYTES) bytes = readWhole(descriptor, size);
      } finally {
        closeSync(descriptor);
      }
    } catch {
      throw new ProviderError('invalid-input', `The vCard file "${file.path}" cannot be read.`);
    }
    const read = bytes;
    yield {
      file,
      text: (pause) =>
        read ? decodeVcardChunks(read, pause) : decodeVcardStream(() => fileChunks(file.path, size), pause),
    };
  }
}

/** The first `size` bytes of an open file (fewer if it shrank meanwhile). */
function readWhole(descriptor: number, size: number): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const read = readSync(descriptor, buffer, filled, size - filled, filled);
    if (read === 0) break;
    filled += read;
  }
  return buffer.subarray(0, filled);
}

/** Files above this size are read and decoded a piece at a time (issue 20: flat memory). */
const BIG_FILE_BYTES = 16 * 2 ** 20;
/** Bytes read from a big file at a time. */
const READ_PIECE_BYTES = 2 * 2 ** 20;

/** The first `size` bytes of a file, read a piece at a time (a file that shrank ends early). */
async function* fileChunks(path: string, size: number): AsyncGenerator<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    throw new ProviderError('invalid-input', `The vCard file "${path}" cannot be read.`);
  }
  try {
    for (let position = 0; position < size;) {
      const chunk = Buffer.allocUnsafe(Math.min(READ_PIECE_BYTES, size - position));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position).catch(() => {
        throw new ProviderError('invalid-input', `The vCard file "${path}" cannot be read.`);
      });
      if (bytesRead === 0) break;
      position += bytesRead;
      yield chunk.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

function photoSource(key: string, photo: PhotoBytes) {
  return { key, load: async () => photo };
}

async function walk(
  root: string,
  directory: string,
  parentId: string | undefined,
  folders: ContactFolder[],
  files: SourceFile[],
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

/** A file's identity and version as the file system tells it, without reading it. */
export type FileStamp = string;

/**
 * Each file's stamp (size, modification and change time, inode), from the file system's metadata
 * alone, so an unchanged file is recognised without reading or parsing it (as restic and borg do).
 * The change time cannot be set back by programs, so a rewrite that keeps size and mtime is seen.
 */
export async function stampFiles(files: readonly SourceFile[], signal?: AbortSignal): Promise<FileStamp[]> {
  // Synchronous stats in slices, as file reads are (readInSlices): asked 64 at a time through the
  // thread pool, 100,000 stats took over a second of a no-change backup, mostly waiting.
  const stamps: FileStamp[] = [];
  const slice = timeSlicer(READ_SLICE_MS);
  for (const file of files) {
    const pausing = slice();
    if (pausing) {
      signal?.throwIfAborted();
      await pausing;
    }
    let entry;
    try {
      entry = statSync(file.path, { bigint: true });
    } catch {
      throw new ProviderError('invalid-input', `The vCard file "${file.path}" cannot be read.`);
    }
    stamps.push(`${entry.size}:${entry.mtimeNs}:${entry.ctimeNs}:${entry.ino}`);
  }
  signal?.throwIfAborted();
  return stamps;
}

/** A hash of the folder tree and every file's name and stamp: equal means nothing to read. */
export function sourceFingerprint(listed: ListedSource, stamps: readonly FileStamp[]): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(listed.directoryFolders));
  listed.files.forEach((file, index) => hash.update(`\u0000${file.relative}\u0000${stamps[index]}`));
  return `stat2:${hash.digest('hex')}`;
}
