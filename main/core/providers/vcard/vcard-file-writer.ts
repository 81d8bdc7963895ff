/**
 * The write side of a single .vcf file, for restoring into "a new vCard file". The file itself only
 * ever changes by an atomic rename: a restore appends its cards to a hidden work copy next to it
 * (`.<name>.restoring`, synced after every batch, a torn last card cut off on reopen) and `finish`
 * renames the work copy over the file (its folder is created when missing). Killed half way, the file is as it was and a resumed run
 * continues the work copy, finding what it wrote by restore id.
 *
 * Folders are CATEGORIES (a single file has no sub-folders). Target ids are UIDs.
 */
import { copyFile, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
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

/** A ContactWriter over one .vcf file plus the step that makes its work visible. */
export interface VcardFileTarget {
  readonly writer: ContactWriter;
  /** Renames the work copy over the file (atomic); nothing to do when nothing was written. */
  finish(): Promise<void>;
}

const categoryPrefix = 'category:';

/** The hidden work copy of `path` while a restore writes into it. */
export function workCopyOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.restoring`);
}

/** Creates the writer over `path` (a .vcf file that may not exist yet; its folder must). */
export function createVcardFileTarget(path: string): VcardFileTarget {
  const work = workCopyOf(path);
  let loaded:
    | { text: string; byUid: Map<string, number>; byRestoreId: Map<string, string>; categories: Set<string> }
    | undefined;

  async function checkPath(): Promise<void> {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory())
      throw new ProviderError('invalid-input', `"${path}" is a folder: choose "a new vCard folder" instead.`);
    const parent = await stat(dirname(path)).catch(() => undefined);
    if (parent && !parent.isDirectory())
      throw new ProviderError('invalid-input', `"${dirname(path)}" is a file, not a folder.`);
    if (!parent) await mkdir(dirname(path), { recursive: true });
  }

  /** The work copy's text (started from the file when there is no work copy yet), torn tail cut. */
  async function load() {
    if (loaded) return loaded;
    await checkPath();
    let text = await readFile(work, 'utf8').catch(() => undefined);
    if (text === undefined) text = await readFile(path, 'utf8').catch(() => '');
    const cards = cardIds(text);
    const end = cards.at(-1)?.end ?? 0;
    if (text.slice(end).trim()) text = text.slice(0, end);
    const state = {
      text,
      byUid: new Map<string, number>(),
      byRestoreId: new Map<string, string>(),
      categories: new Set<string>(),
    };
    for (const card of cards) {
      if (card.uid) state.byUid.set(card.uid, (state.byUid.get(card.uid) ?? 0) + 1);
      if (card.uid && card.restoreId) state.byRestoreId.set(card.restoreId, card.uid);
    }
    loaded = state;
    return state;
  }

  /** Appends cards to the work copy and syncs it. */
  async function append(text: string): Promise<void> {
    const state = await load();
    const exists = await stat(work).then(
      () => true,
      () => false,
    );
    if (!exists) {
      // First write of the run: the work copy starts as the file as it is (or empty).
      const original = await stat(path).then(
        () => true,
        () => false,
      );
      if (original) await copyFile(path, work);
      else await writeFile(work, '', { mode: 0o600 });
    }
    const handle = await open(work, 'r+');
    try {
      await handle.truncate(Buffer.byteLength(state.text));
      await handle.write(text, Buffer.byteLength(state.text));
      await handle.sync();
    } finally {
      await handle.close();
    }
    state.text += text;
  }

  function cardOf(item: WriteItem, uid: string): string {
    const restoreId = RESTORE_ID_PATTERN.test(item.restoreId) ? item.restoreId : undefined;
    const categories = item.folderIds
      .filter((id) => id.startsWith(categoryPrefix))
      .map((id) => id.slice(categoryPrefix.length));
    return writeVcard(
      { ...item.contact, extra: withoutRestoreExtras(item.contact.extra) },
      {
        version: '4.0',
        uid,
        ...(restoreId ? { restoreId } : {}),
        ...(categories.length ? { categories } : {}),
        ...(item.photo ? { photo: item.photo } : {}),
      },
    );
  }

  const writer: ContactWriter = {
    async listFolders(context: WorkContext): Promise<ContactFolder[]> {
      context.signal.throwIfAborted();
      const state = await load();
      return [...state.categories].map((name) => ({ id: `${categoryPrefix}${name}`, name }));
    },
    async createFolder(name: string, _parentId: string | undefined, context: WorkContext) {
      context.signal.throwIfAborted();
      const state = await load();
      const clean = name.replace(/[,;\\]/g, ' ').trim() || 'Folder';
      state.categories.add(clean);
      return { id: `${categoryPrefix}${clean}`, name: clean };
    },
    async existing(targetIds: readonly string[], context: WorkContext) {
      context.signal.throwIfAborted();
      const state = await load();
      return new Set(targetIds.filter((id) => state.byUid.has(id)));
    },
    async findRestored(restoreIds: readonly string[], context: WorkContext) {
      context.signal.throwIfAborted();
      return restoredAmong((await load()).byRestoreId, restoreIds);
    },
    async create(items: readonly WriteItem[], context: WorkContext): Promise<WriteResult[]> {
      context.signal.throwIfAborted();
      const state = await load();
      let text = '';
      const results: WriteResult[] = [];
      for (const item of items) {
        const sourceUid = sourceUidOf(item.contact.extra);
        const uid = sourceUid && !state.byUid.has(sourceUid) ? sourceUid : item.restoreId;
        text += cardOf(item, uid);
        state.byUid.set(uid, (state.byUid.get(uid) ?? 0) + 1);
        if (RESTORE_ID_PATTERN.test(item.restoreId)) state.byRestoreId.set(item.restoreId, uid);
        results.push({ key: item.key, ok: true, targetId: uid });
      }
      // One append per batch: the cards land together or (torn) are cut on the next open.
      await append(text);
      context.progress(results.length, items.length);
      return results;
    },
    async update(items: readonly WriteItem[], context: WorkContext): Promise<WriteResult[]> {
      context.signal.throwIfAborted();
      const state = await load();
      const replace = new Map<string, WriteItem>();
      const results: WriteResult[] = [];
      for (const item of items) {
        if (item.targetId && state.byUid.has(item.targetId)) {
          replace.set(item.targetId, item);
          results.push({ key: item.key, ok: true, targetId: item.targetId });
        } else {
          results.push({
            key: item.key,
            ok: false,
            error: 'The contact no longer exists at the target.',
            retryable: false,
          });
        }
      }
      if (!replace.size) return results;
      // Replacing cards rewrites the work copy: a new copy written and renamed into place.
      let next = '';
      let position = 0;
      const written = new Set<string>();
      for (const card of cardIds(state.text)) {
        next += state.text.slice(position, card.start);
        position = card.end;
        const item = card.uid ? replace.get(card.uid) : undefined;
        if (!item) next += state.text.slice(card.start, card.end);
        else if (!written.has(card.uid!)) {
          next += cardOf(item, card.uid!);
          written.add(card.uid!);
        }
      }
      next += state.text.slice(position);
      const temporary = `${work}.${process.pid}.tmp`;
      await writeFile(temporary, next, { encoding: 'utf8', mode: 0o600 });
      const handle = await open(temporary, 'r');
      await handle.sync();
      await handle.close();
      await rename(temporary, work);
      state.text = next;
      context.progress(results.length, items.length);
      return results;
    },
    unsupportedFields(contact: Contact) {
      return vcardUnsupportedFields(contact, '4.0');
    },
  };

  return {
    writer,
    async finish() {
      const exists = await stat(work).then(
        () => true,
        () => false,
      );
      if (!exists) return;
      await rename(work, path);
      await rm(`${work}.${process.pid}.tmp`, { force: true });
      loaded = undefined;
    },
  };
}
