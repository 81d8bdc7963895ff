/**
 * The write side of a vCard folder: restores write one `<restoreId>.vcf` (vCard 4.0, which holds the
 * most fields) per contact into the sub-folder of each of its folders, or into the root when it has
 * none. The card keeps the source's UID (so CardDAV servers, Apple and the next backup see the same
 * contact) and carries X-CONTACTS-BACKUP-RESTORE-ID, so a resumed restore finds what it wrote.
 * A contact in two folders is written twice with the same UID; the reader merges the copies back
 * into one contact in both folders. CATEGORIES are not written, so folders come back once, as
 * sub-folders.
 *
 * Target ids are UIDs: a card restored here, or already here, is found by the UID its source gave it.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { Contact, ContactFolder } from '../../contacts/model';
import { vcardUnsupportedFields, writeVcard } from '../../contacts/vcard-write';
import {
  ProviderError,
  type ContactWriter,
  type WorkContext,
  type WriteItem,
  type WriteResult,
} from '../provider';
import { RESTORE_ID_PATTERN, restoredAmong, sourceUidOf, withoutRestoreExtras } from '../restore-identity';
import { cardIds } from './card-ids';
import { directoryFolderId } from './vcard-source';

/** Card files written at once by a restore. */
const WRITES_AT_ONCE = 16;

/** A card ready to be written: its text and the file of each of its folders. */
interface PreparedCard {
  readonly key: string;
  readonly uid: string;
  readonly restoreId: string | undefined;
  readonly text: string;
  readonly targets: readonly string[];
}

/** A file name for a UID that is safe on every OS. */
export function vcardFileName(uid: string): string {
  return `${uid.replace(/[^A-Za-z0-9._-]/g, '_')}.vcf`;
}

/** What the folder holds, by the ids a restore looks things up by. */
interface FolderIndex {
  /** UID -> every file holding a card with it. */
  readonly byUid: Map<string, Set<string>>;
  /** Restore id -> UID of the card that carries it. */
  readonly byRestoreId: Map<string, string>;
}

/** Creates the writer over a target folder (created on first use). */
export function createVcardWriter(root: string): ContactWriter {
  let index: FolderIndex | undefined;

  async function ensureRoot(): Promise<void> {
    try {
      const info = await stat(root);
      if (!info.isDirectory()) {
        throw new ProviderError(
          'invalid-input',
          `The restore target "${root}" is a file, not a folder: choose "a new vCard file" to write into a file.`,
        );
      }
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      await mkdir(root, { recursive: true });
    }
  }

  async function listDirectories(): Promise<ContactFolder[]> {
    await ensureRoot();
    const folders: ContactFolder[] = [];
    async function visit(directory: string, parentId: string | undefined): Promise<void> {
      const entries = (await readdir(directory, { withFileTypes: true })).sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
      for (const entry of entries) {
        if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
        const full = join(directory, entry.name);
        const id = directoryFolderId(toPosix(relative(root, full)));
        folders.push({ id, name: entry.name, ...(parentId ? { parentId } : {}) });
        await visit(full, id);
      }
    }
    await visit(root, undefined);
    return folders;
  }

  function remember(target: FolderIndex, uid: string, path: string, restoreId?: string): void {
    const paths = target.byUid.get(uid) ?? new Set<string>();
    paths.add(path);
    target.byUid.set(uid, paths);
    if (restoreId) target.byRestoreId.set(restoreId, uid);
  }

  /** Reads every card's UID and restore id once per writer; writes keep it current. */
  async function folderIndex(): Promise<FolderIndex> {
    if (index) return index;
    await ensureRoot();
    const built: FolderIndex = { byUid: new Map(), byRestoreId: new Map() };
    async function visit(directory: string): Promise<void> {
      for (const entry of await readdir(directory, { withFileTypes: true })) {
        if (entry.name.startsWith('.')) continue;
        const full = join(directory, entry.name);
        if (entry.isDirectory()) await visit(full);
        else if (entry.name.toLowerCase().endsWith('.vcf')) {
          for (const card of cardIds(await readFile(full, 'utf8'))) {
            const uid = card.uid ?? `file:${full}`;
            remember(built, uid, full, card.restoreId);
          }
        }
      }
    }
    await visit(root);
    index = built;
    return built;
  }

  function directoryOf(folderId: string): string | undefined {
    if (!folderId.startsWith('folder:')) return undefined;
    const path = folderId.slice('folder:'.length);
    if (!path || path.split('/').some((part) => part === '..' || part === '.' || part === ''))
      return undefined;
    return join(root, ...path.split('/'));
  }

  /** Folders made by this writer, so thousands of cards ask mkdir once per folder. */
  const made = new Set<string>();

  /** Works out a card's text and files, or why it cannot be written; touches nothing on disk. */
  function prepare(item: WriteItem, uid: string): PreparedCard | WriteResult {
    const directories: string[] = [];
    for (const folderId of item.folderIds) {
      const directory = directoryOf(folderId);
      if (!directory) {
        return {
          key: item.key,
          ok: false,
          error: `The folder ${folderId} does not exist at the target.`,
          retryable: false,
        };
      }
      directories.push(directory);
    }
    if (directories.length === 0) directories.push(root);
    const restoreId = RESTORE_ID_PATTERN.test(item.restoreId) ? item.restoreId : undefined;
    const text = writeVcard(
      { ...item.contact, extra: withoutRestoreExtras(item.contact.extra) },
      {
        version: '4.0',
        uid,
        ...(restoreId ? { restoreId } : {}),
        ...(item.photo ? { photo: item.photo } : {}),
      },
    );
    const targets = directories.map((directory) => join(directory, vcardFileName(restoreId ?? uid)));
    return { key: item.key, uid, restoreId, text, targets };
  }

  async function writeCard(card: PreparedCard, known: FolderIndex): Promise<WriteResult> {
    for (const target of card.targets) {
      const directory = dirname(target);
      if (!made.has(directory)) {
        await mkdir(directory, { recursive: true });
        made.add(directory);
      }
      // Write then rename, so a crash never leaves half a card where a reader could see it.
      const temporary = join(directory, `.${basename(target)}.${process.pid}.tmp`);
      try {
        await writeFile(temporary, card.text, 'utf8');
        await rename(temporary, target);
      } catch (error) {
        made.delete(directory);
        throw error;
      }
      remember(known, card.uid, target, card.restoreId);
    }
    return { key: card.key, ok: true, targetId: card.uid };
  }

  /**
   * Writes prepared cards a few at a time (issue 20 item 4: one file at a time, a restore of 10,000
   * cards spent two thirds of its time waiting), results in the order of `cards`.
   */
  async function writeCards(
    cards: readonly (PreparedCard | WriteResult)[],
    known: FolderIndex,
    context: WorkContext,
    progress: (done: number, total: number) => void = context.progress,
  ): Promise<WriteResult[]> {
    const results: WriteResult[] = new Array<WriteResult>(cards.length);
    let next = 0;
    let done = 0;
    let failed = false;
    const worker = async () => {
      // After a failure no new card is started; the ones already writing finish.
      while (next < cards.length && !failed) {
        context.signal.throwIfAborted();
        const index = next;
        next += 1;
        const card = cards[index]!;
        try {
          results[index] = 'text' in card ? await writeCard(card, known) : card;
        } catch (error) {
          failed = true;
          throw error;
        }
        done += 1;
        progress(done, cards.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(WRITES_AT_ONCE, cards.length) }, worker));
    return results;
  }

  return {
    async listFolders(context: WorkContext) {
      context.signal.throwIfAborted();
      return listDirectories();
    },
    async createFolder(name: string, parentId: string | undefined, context: WorkContext) {
      context.signal.throwIfAborted();
      await ensureRoot();
      const safe = safeFolderName(name);
      const parent = parentId ? directoryOf(parentId) : root;
      if (!parent) throw new ProviderError('invalid-input', `The parent folder ${parentId} does not exist.`);
      const full = join(parent, safe);
      await mkdir(full, { recursive: true });
      const folder: ContactFolder = {
        id: directoryFolderId(toPosix(relative(root, full))),
        name: safe,
        ...(parentId ? { parentId } : {}),
      };
      return folder;
    },
    async existing(targetIds: readonly string[], context: WorkContext) {
      context.signal.throwIfAborted();
      const known = await folderIndex();
      return new Set(targetIds.filter((id) => known.byUid.has(id)));
    },
    async findRestored(restoreIds: readonly string[], context: WorkContext) {
      context.signal.throwIfAborted();
      return restoredAmong((await folderIndex()).byRestoreId, restoreIds);
    },
    async create(items: readonly WriteItem[], context: WorkContext) {
      const known = await folderIndex();
      // UIDs are chosen in order before anything is written: two cards of one batch with the same
      // source UID must not both take it.
      const taken = new Set<string>();
      const cards = items.map((item) => {
        // The source's UID, unless a card here already has it (then this copy gets its own).
        const sourceUid = sourceUidOf(item.contact.extra);
        const uid =
          sourceUid && !known.byUid.has(sourceUid) && !taken.has(sourceUid) ? sourceUid : item.restoreId;
        taken.add(uid);
        return prepare(item, uid);
      });
      return writeCards(cards, known, context);
    },
    async update(items: readonly WriteItem[], context: WorkContext) {
      const known = await folderIndex();
      const results: WriteResult[] = [];
      for (const item of items) {
        context.signal.throwIfAborted();
        const paths = item.targetId ? known.byUid.get(item.targetId) : undefined;
        if (!item.targetId || !paths?.size) {
          results.push({
            key: item.key,
            ok: false,
            error: 'The contact no longer exists at the target.',
            retryable: false,
          });
          continue;
        }
        for (const path of paths) {
          // A file holding other cards too is left alone (the new card supersedes by UID).
          const others = cardIds(await readFile(path, 'utf8').catch(() => '')).filter(
            (card) => card.uid !== item.targetId,
          );
          if (!others.length) await rm(path, { force: true });
        }
        paths.clear();
        const [result] = await writeCards([prepare(item, item.targetId)], known, context, () => {});
        results.push(result!);
        context.progress(results.length, items.length);
      }
      return results;
    },
    unsupportedFields(contact: Contact) {
      return vcardUnsupportedFields(contact, '4.0');
    },
  };
}

/** A folder name that is valid on Windows, macOS and Linux and never hidden or a path. */
export function safeFolderName(name: string): string {
  const cleaned = [...name]
    .map((char) => (char.charCodeAt(0) < 32 || '/\\:*?"<>|'.includes(char) ? '_' : char))
    .join('')
    .replace(/^\.+/, '_')
    .trim();
  return cleaned || 'Folder';
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}
