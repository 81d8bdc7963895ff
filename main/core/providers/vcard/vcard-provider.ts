/**
 * A ContactProvider over vCard files: a `.vcf` file or a folder of them (searched recursively).
 * Used for importing an existing vCard export into the backup (product.md B17), for the sample
 * address book, and as a restore target in tests.
 *
 * - Folders: CATEGORIES values, and the sub-folders of the source folder (nested via parentId).
 * - sourceId: the card's UID; a card without UID gets a hash of its file path and content, so the
 *   id stays the same while the card is unchanged.
 * - sync: files have no change feed, so the cursor remembers each file's stamp (size, times, inode),
 *   its contacts and categories. An unchanged source is answered from the stamps alone; in a folder,
 *   only new and changed files (and files sharing a contact with them) are read, and the rest of the
 *   address book is known from the cursor (an incremental sync). A first read, a single file or
 *   anything the cursor cannot vouch for is a full read (`full: true`). Pages hold at most 1000
 *   contacts; a full read hands them on while it reads, so a large source is never held parsed as a
 *   whole. A changed single file is split into cards and only cards whose text hash is new are
 *   parsed (the cursor keeps each card's hash).
 * - Photos: inline bytes, keyed by their SHA-256, so an unchanged photo is never stored twice.
 */
import { basename } from 'node:path';
import type {
  AccountUser,
  ContactProvider,
  SourceContact,
  SyncBatch,
  SyncOutcome,
  WorkContext,
} from '../provider';
import {
  listSource,
  readVcardBook,
  readVcardFiles,
  sourceFingerprint,
  stampFiles,
  categoryFolderId,
  type CardEntry,
  type PageOptions,
  type FileContents,
  type ListedSource,
} from './vcard-source';
import { createVcardWriter } from './vcard-writer';
import { timeSlicer } from '../../time-slice';

export interface VcardAccountSettings {
  /** A .vcf file or a folder of .vcf files. */
  path: string;
  /**
   * Skip cards that cannot be read (they are logged) instead of refusing the whole source. Off by
   * default: a full sync that silently missed a card would mark it deleted in the backup.
   */
  skipMalformed?: boolean;
}

/** The one user of a file source. */
export const VCARD_USER_ID = 'local';

/** Contacts per SyncBatch. */
export const VCARD_PAGE_SIZE = 1000;

/** Creates the provider; nothing is read until listUsers/sync/fetchContacts. */
export function createVcardProvider(settings: VcardAccountSettings): ContactProvider {
  return createVcardProviderWith(settings, true);
}

/** The same provider without a write side (the sample address book is read-only). */
export function createReadOnlyVcardProvider(settings: VcardAccountSettings): ContactProvider {
  return createVcardProviderWith(settings, false);
}

function createVcardProviderWith(settings: VcardAccountSettings, writable: boolean): ContactProvider {
  async function load(context: WorkContext, hashCards = false, pages?: PageOptions) {
    const book = await readVcardBook(settings.path, {
      skipMalformed: settings.skipMalformed ?? false,
      signal: context.signal,
      hashCards,
      pages,
    });
    logSkipped(book.skipped, context);
    return book;
  }

  return {
    async listUsers(): Promise<AccountUser[]> {
      return [{ id: VCARD_USER_ID, email: '', displayName: basename(settings.path), active: true }];
    },

    async sync(
      _userId: string,
      cursor: string | undefined,
      sink: (batch: SyncBatch) => Promise<void>,
      context: WorkContext,
    ): Promise<SyncOutcome> {
      const listed = await listSource(settings.path, context.signal);
      const stamps = await stampFiles(listed.files, context.signal);
      const fingerprint = sourceFingerprint(listed, stamps);
      const previous = parseCursor(cursor);
      // Nothing changed since the last backup: say so without reading a file.
      if (previous && previous.fingerprint === fingerprint) return { full: false, cursor };
      if (previous && listed.single) {
        const outcome = await syncChangedCards(listed, stamps, fingerprint, previous, sink, context, {
          skipMalformed: settings.skipMalformed ?? false,
        });
        if (outcome) return outcome;
      }
      const incremental = previous && !listed.single ? planIncremental(listed, stamps, previous) : undefined;
      if (incremental) {
        const read = await readVcardFiles(incremental.read, {
          skipMalformed: settings.skipMalformed ?? false,
          signal: context.signal,
        });
        logSkipped(read.skipped, context);
        const readIds = new Set(read.contacts.map((item) => item.sourceId));
        // A UID the changed files share with a file left unread, or a duplicate numbered `#n`,
        // depends on the order of the whole read: only a full read gives it the same id again.
        const clash = read.contacts.some(
          (item) => item.sourceId.includes('#') || incremental.keptIds.has(item.sourceId),
        );
        if (!clash) {
          const files: Record<string, CursorFile> = { ...incremental.keptFiles };
          for (const file of incremental.read) {
            const held = read.perFile.get(file.relative) ?? { ids: [], categories: [] };
            files[file.relative] = [incremental.stampOf.get(file.relative)!, held.ids, held.categories];
          }
          const categories = new Set<string>();
          for (const [, , names] of Object.values(files)) for (const name of names) categories.add(name);
          const folders = [
            ...listed.directoryFolders,
            ...[...categories].map((name) => ({ id: categoryFolderId(name), name })),
          ];
          const deletions = [...incremental.formerIds].filter(
            (id) => !readIds.has(id) && !incremental.keptIds.has(id),
          );
          await deliver(read.contacts, folders, deletions, sink, context);
          return { full: false, cursor: await writeCursor(fingerprint, files) };
        }
      }
      // Pages go to the engine while the source is read (flat memory); the folders, known only at
      // the end, come with the last page.
      const shared = sharedIds(previous);
      let delivered = 0;
      const book = await load(context, listed.single, {
        size: VCARD_PAGE_SIZE,
        holdBack: (id) => shared.has(id),
        emit: async (upserts) => {
          context.signal.throwIfAborted();
          await sink({ upserts, deletions: [] });
          delivered += upserts.length;
        },
      });
      await deliver(book.contacts, book.folders, [], sink, context, delivered);
      return {
        full: true,
        cursor: await writeCursor(fingerprint, fullCursorFiles(listed, stamps, book.perFile)),
      };
    },

    async fetchContacts(
      _userId: string,
      sourceIds: readonly string[],
      context: WorkContext,
    ): Promise<SourceContact[]> {
      const wanted = new Set(sourceIds);
      const book = await load(context);
      return book.contacts.filter((contact) => wanted.has(contact.sourceId));
    },

    writer() {
      return writable ? createVcardWriter(settings.path) : undefined;
    },
  };
}

function logSkipped(skipped: readonly { file: string; line: number }[], context: WorkContext): void {
  for (const entry of skipped) {
    // Line numbers only: the log never carries contact data.
    context.log(`Skipped an unreadable card at line ${entry.line} of ${basename(entry.file)}.`);
  }
}

/**
 * Hands contacts to the engine in pages, the complete folder list with the first of these (after
 * any pages a full read already handed on while reading).
 */
async function deliver(
  contacts: readonly SourceContact[],
  folders: SyncBatch['folders'],
  deletions: readonly string[],
  sink: (batch: SyncBatch) => Promise<void>,
  context: WorkContext,
  /** Contacts already handed on in pages while reading. */
  done = 0,
): Promise<void> {
  const total = contacts.length;
  context.progress(done, done + total);
  if (total === 0) {
    await sink({ folders, upserts: [], deletions });
    return;
  }
  for (let start = 0; start < total; start += VCARD_PAGE_SIZE) {
    context.signal.throwIfAborted();
    const upserts = contacts.slice(start, start + VCARD_PAGE_SIZE);
    await sink({ ...(start === 0 ? { folders, deletions } : { deletions: [] }), upserts });
    context.progress(done + Math.min(start + VCARD_PAGE_SIZE, total), done + total);
  }
}

/**
 * A file in the cursor: its stamp, the source ids it held, its categories, and for a single-file
 * source each card's hash (so a changed file is read again without parsing its unchanged cards).
 */
type CursorFile = [stamp: string, ids: string[], categories: string[], cards?: CardEntry[]];

interface VcardCursor {
  readonly fingerprint: string;
  readonly files: Record<string, CursorFile>;
}

/**
 * The cursor as JSON, written a few hundred array items at a time between time slices: at 40,000
 * cards one `JSON.stringify` of it held the thread that answers the window for over 100 ms.
 */
async function writeCursor(fingerprint: string, files: Record<string, CursorFile>): Promise<string> {
  const slice = timeSlicer();
  const parts: string[] = [`{"v":2,"fp":${JSON.stringify(fingerprint)},"files":{`];
  let firstFile = true;
  for (const [relative, entry] of Object.entries(files)) {
    parts.push(`${firstFile ? '' : ','}${JSON.stringify(relative)}:[`);
    firstFile = false;
    let firstField = true;
    for (const field of entry) {
      parts.push(firstField ? '' : ',');
      firstField = false;
      if (!Array.isArray(field)) {
        parts.push(JSON.stringify(field));
        continue;
      }
      parts.push('[');
      for (let at = 0; at < field.length; at += CURSOR_ITEMS_PER_STEP) {
        const items = JSON.stringify(field.slice(at, at + CURSOR_ITEMS_PER_STEP));
        parts.push(at ? ',' : '', items.slice(1, -1));
        await slice();
      }
      parts.push(']');
    }
    parts.push(']');
    await slice();
  }
  parts.push('}}');
  return parts.join('');
}

const CURSOR_ITEMS_PER_STEP = 500;

/** The cursor of an earlier backup, or undefined for one of another form (then: a full read). */
function parseCursor(cursor: string | undefined): VcardCursor | undefined {
  if (!cursor?.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(cursor) as { v?: unknown; fp?: unknown; files?: unknown };
    if (value.v !== 2 || typeof value.fp !== 'string' || typeof value.files !== 'object' || !value.files) {
      return undefined;
    }
    return { fingerprint: value.fp, files: value.files as Record<string, CursorFile> };
  } catch {
    return undefined;
  }
}

function fullCursorFiles(
  listed: ListedSource,
  stamps: readonly string[],
  perFile: ReadonlyMap<string, FileContents>,
): Record<string, CursorFile> {
  const files: Record<string, CursorFile> = {};
  listed.files.forEach((file, index) => {
    const held = perFile.get(file.relative) ?? { ids: [], categories: [] };
    files[file.relative] = held.cards
      ? [stamps[index]!, held.ids, held.categories, held.cards]
      : [stamps[index]!, held.ids, held.categories];
  });
  return files;
}

/**
 * Which files an incremental read must open: new and changed files, and every file that shares a
 * contact with one of them or with a removed file (a contact stored once per folder is one contact
 * whose folders come from all its files). Undefined when the cursor cannot vouch for the rest.
 */
function planIncremental(listed: ListedSource, stamps: readonly string[], previous: VcardCursor) {
  const stampOf = new Map(listed.files.map((file, index) => [file.relative, stamps[index]!]));
  const filesOfId = new Map<string, string[]>();
  for (const [relative, [, ids]] of Object.entries(previous.files)) {
    if (!Array.isArray(ids)) return undefined;
    for (const id of ids) {
      if (id.includes('#')) return undefined;
      filesOfId.set(id, [...(filesOfId.get(id) ?? []), relative]);
    }
  }
  const toRead = new Set<string>();
  const queue: string[] = [];
  const visit = (relative: string) => {
    if (toRead.has(relative)) return;
    toRead.add(relative);
    queue.push(relative);
  };
  for (const file of listed.files) {
    if (previous.files[file.relative]?.[0] !== stampOf.get(file.relative)) visit(file.relative);
  }
  for (const relative of Object.keys(previous.files)) if (!stampOf.has(relative)) visit(relative);
  while (queue.length > 0) {
    const relative = queue.pop()!;
    for (const id of previous.files[relative]?.[1] ?? [])
      for (const other of filesOfId.get(id) ?? []) visit(other);
  }
  const formerIds = new Set<string>();
  const keptIds = new Set<string>();
  const keptFiles: Record<string, CursorFile> = {};
  for (const [relative, entry] of Object.entries(previous.files)) {
    if (toRead.has(relative)) for (const id of entry[1]) formerIds.add(id);
    else if (stampOf.has(relative)) {
      keptFiles[relative] = entry;
      for (const id of entry[1]) keptIds.add(id);
    }
  }
  return {
    read: listed.files.filter((file) => toRead.has(file.relative)),
    stampOf,
    formerIds,
    keptIds,
    keptFiles,
  };
}

/**
 * A changed single file: its cards are split and hashed, and only cards whose hash the last read
 * did not see are parsed and delivered (issue 20: a 100,000-card file with 1 % changed parses 1,000
 * cards). Cards that disappeared are deletions. Undefined (then: a full read) when the cursor has no
 * card hashes, or when ids could depend on the order of the whole file (a UID held by two different
 * cards, numbered `#n`).
 */
async function syncChangedCards(
  listed: ListedSource,
  stamps: readonly string[],
  fingerprint: string,
  previous: VcardCursor,
  sink: (batch: SyncBatch) => Promise<void>,
  context: WorkContext,
  { skipMalformed }: { readonly skipMalformed: boolean },
): Promise<SyncOutcome | undefined> {
  const file = listed.files[0];
  const before = file ? previous.files[file.relative]?.[3] : undefined;
  if (!file || !Array.isArray(before) || before.some(([, id]) => id.includes('#'))) return undefined;
  const known = new Map(before.map((entry) => [entry[0], entry]));
  const read = await readVcardFiles([file], {
    skipMalformed,
    signal: context.signal,
    hashCards: true,
    unchangedCard: (hash) => known.has(hash),
  });
  const held = read.perFile.get(file.relative);
  if (!held?.cards || !held.unchanged) return undefined;
  const kept = [...new Set(held.unchanged)].map((hash) => known.get(hash)!);
  const keptIds = new Set(kept.map(([, id]) => id));
  if (read.contacts.some((item) => item.sourceId.includes('#') || keptIds.has(item.sourceId)))
    return undefined;
  logSkipped(read.skipped, context);
  const cards = [...kept, ...held.cards];
  const ids = [...new Set(cards.map(([, id]) => id))];
  const categories = [...new Set(cards.flatMap(([, , names]) => names))];
  const readIds = new Set(read.contacts.map((item) => item.sourceId));
  const deletions = [...new Set(before.map(([, id]) => id))].filter(
    (id) => !keptIds.has(id) && !readIds.has(id),
  );
  const folders = categories.map((name) => ({ id: categoryFolderId(name), name }));
  await deliver(read.contacts, folders, deletions, sink, context);
  const files: Record<string, CursorFile> = {
    [file.relative]: [stamps[0]!, ids, categories, cards],
  };
  return { full: false, cursor: await writeCursor(fingerprint, files) };
}

/** Source ids the last read found in more than one file: a full read hands them on once, merged. */
function sharedIds(previous: VcardCursor | undefined): Set<string> {
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const [, ids] of Object.values(previous?.files ?? {})) {
    if (!Array.isArray(ids)) continue;
    for (const id of ids) (seen.has(id) ? shared : seen).add(id);
  }
  return shared;
}
