/**
 * The write side of a vCard folder: restores write one `<uid>.vcf` (vCard 4.0, which holds the most
 * fields) per contact into the sub-folder of each of its folders, or into the root when it has none.
 * A contact in two folders is written twice with the same UID; the reader merges the copies back
 * into one contact in both folders. CATEGORIES are not written, so folders come back once, as
 * sub-folders.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { Contact, ContactFolder } from '../../contacts/model';
import { vcardUnsupportedFields, writeVcard } from '../../contacts/vcard-write';
import {
  ProviderError,
  type ContactWriter,
  type WorkContext,
  type WriteItem,
  type WriteResult,
} from '../provider';
import { directoryFolderId } from './vcard-source';

/** A file name for a UID that is safe on every OS. */
export function vcardFileName(uid: string): string {
  return `${uid.replace(/[^A-Za-z0-9._-]/g, '_')}.vcf`;
}

/** Creates the writer over a target folder (created on first use). */
export function createVcardWriter(root: string): ContactWriter {
  async function ensureRoot(): Promise<void> {
    try {
      const info = await stat(root);
      if (!info.isDirectory()) {
        throw new ProviderError('invalid-input', `The restore target "${root}" is a file, not a folder.`);
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

  /** Every path holding a copy of each target id. */
  async function indexFiles(): Promise<Map<string, string[]>> {
    await ensureRoot();
    const index = new Map<string, string[]>();
    async function visit(directory: string): Promise<void> {
      for (const entry of await readdir(directory, { withFileTypes: true })) {
        if (entry.name.startsWith('.')) continue;
        const full = join(directory, entry.name);
        if (entry.isDirectory()) await visit(full);
        else if (entry.name.endsWith('.vcf')) {
          const paths = index.get(entry.name) ?? [];
          paths.push(full);
          index.set(entry.name, paths);
        }
      }
    }
    await visit(root);
    return index;
  }

  function directoryOf(folderId: string): string | undefined {
    if (!folderId.startsWith('folder:')) return undefined;
    const path = folderId.slice('folder:'.length);
    if (!path || path.split('/').some((part) => part === '..' || part === '.' || part === ''))
      return undefined;
    return join(root, ...path.split('/'));
  }

  async function writeItem(item: WriteItem, uid: string): Promise<WriteResult> {
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
    const text = writeVcard(item.contact, {
      version: '4.0',
      uid,
      ...(item.photo ? { photo: item.photo } : {}),
    });
    for (const directory of directories) {
      await mkdir(directory, { recursive: true });
      const target = join(directory, vcardFileName(uid));
      // Write then rename, so a crash never leaves half a card where a reader could see it.
      const temporary = join(directory, `.${basename(target)}.${process.pid}.tmp`);
      await writeFile(temporary, text, 'utf8');
      await rename(temporary, target);
    }
    return { key: item.key, ok: true, targetId: uid };
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
      const index = await indexFiles();
      return new Set(targetIds.filter((id) => index.has(vcardFileName(id))));
    },
    async create(items: readonly WriteItem[], context: WorkContext) {
      const results: WriteResult[] = [];
      for (const item of items) {
        context.signal.throwIfAborted();
        results.push(await writeItem(item, randomUUID()));
        context.progress(results.length, items.length);
      }
      return results;
    },
    async update(items: readonly WriteItem[], context: WorkContext) {
      const index = await indexFiles();
      const results: WriteResult[] = [];
      for (const item of items) {
        context.signal.throwIfAborted();
        const paths = item.targetId ? index.get(vcardFileName(item.targetId)) : undefined;
        if (!item.targetId || !paths) {
          results.push({
            key: item.key,
            ok: false,
            error: 'The contact no longer exists at the target.',
            retryable: false,
          });
          continue;
        }
        for (const path of paths) await rm(path, { force: true });
        results.push(await writeItem(item, item.targetId));
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
function safeFolderName(name: string): string {
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
