/**
 * An in-memory ContactProvider for engine tests: a mutable address book with an incremental cursor
 * (a change counter), so tests can add, edit and delete "at the source" between backups.
 */
import { createHash } from 'node:crypto';
import type { Contact, ContactFolder } from '../../main/core/contacts/model';
import type {
  ContactProvider,
  ContactWriter,
  SourceContact,
  SyncBatch,
  WorkContext,
  WriteItem,
  WriteResult,
} from '../../main/core/providers/provider';
import { withoutRestoreExtras } from '../../main/core/providers/restore-identity';

export interface MemoryEntry {
  contact: Contact;
  photo?: Uint8Array;
  changedAt: number;
}

export class MemoryBook {
  readonly contacts = new Map<string, MemoryEntry>();
  readonly deleted = new Map<string, number>();
  folders: ContactFolder[] = [];
  clock = 0;
  pageSize = 50;
  /** Set to make the next sync fail after this many pages (a cut network). */
  failAfterPages?: number;
  /** Ignore cursors (a source with full reads only). */
  fullOnly = false;
  photoLoads = 0;
  /** Restore id -> contact id, kept like Google's clientData or a Graph extended property. */
  readonly restoreIds = new Map<string, string>();
  private nextId = 1;

  put(sourceId: string, contact: Contact, photo?: Uint8Array): void {
    this.clock += 1;
    this.deleted.delete(sourceId);
    this.contacts.set(sourceId, { contact, photo, changedAt: this.clock });
  }

  remove(sourceId: string): void {
    this.clock += 1;
    this.contacts.delete(sourceId);
    this.deleted.set(sourceId, this.clock);
  }

  newId(): string {
    return `m${this.nextId++}`;
  }
}

function sourceContact(book: MemoryBook, sourceId: string, entry: MemoryEntry): SourceContact {
  const photo = entry.photo;
  return {
    sourceId,
    contact: entry.contact,
    photo: photo
      ? {
          key: createHash('sha256').update(photo).digest('hex'),
          load: async () => {
            book.photoLoads += 1;
            return { mediaType: 'image/png', bytes: photo };
          },
        }
      : undefined,
  };
}

export function memoryProvider(book: MemoryBook): ContactProvider {
  return {
    async listUsers() {
      return [{ id: 'me', email: 'me@example.org', active: true }];
    },
    async sync(_userId, cursor, sink: (batch: SyncBatch) => Promise<void>, context: WorkContext) {
      const since = cursor && !book.fullOnly ? Number(cursor) : undefined;
      const upserts = [...book.contacts.entries()]
        .filter(([, entry]) => since === undefined || entry.changedAt > since)
        .map(([sourceId, entry]) => sourceContact(book, sourceId, entry));
      const deletions =
        since === undefined
          ? []
          : [...book.deleted.entries()].filter(([, at]) => at > since).map(([id]) => id);
      let pages = 0;
      await sink({ folders: book.folders, upserts: [], deletions });
      for (let start = 0; start < upserts.length; start += book.pageSize) {
        if (book.failAfterPages !== undefined && pages >= book.failAfterPages) {
          book.failAfterPages = undefined;
          throw new Error('connection reset');
        }
        await sink({ upserts: upserts.slice(start, start + book.pageSize), deletions: [] });
        pages += 1;
        context.progress(Math.min(upserts.length, start + book.pageSize), upserts.length);
      }
      return { full: since === undefined, cursor: String(book.clock) };
    },
    async fetchContacts(_userId, sourceIds) {
      return sourceIds.flatMap((id) => {
        const entry = book.contacts.get(id);
        return entry ? [sourceContact(book, id, entry)] : [];
      });
    },
    writer(): ContactWriter {
      return memoryWriter(book);
    },
  };
}

export function memoryWriter(book: MemoryBook): ContactWriter {
  return {
    async listFolders() {
      return book.folders;
    },
    async createFolder(name, parentId) {
      const folder = { id: `f-${name}`, name, parentId };
      book.folders = [...book.folders, folder];
      return folder;
    },
    async existing(ids) {
      return new Set(ids.filter((id) => book.contacts.has(id)));
    },
    async findRestored(restoreIds) {
      const found = new Map<string, string>();
      for (const restoreId of restoreIds) {
        const id = book.restoreIds.get(restoreId);
        if (id && book.contacts.has(id)) found.set(restoreId, id);
      }
      return found;
    },
    async create(items: readonly WriteItem[]): Promise<WriteResult[]> {
      return items.map((item) => {
        const id = book.newId();
        book.put(
          id,
          {
            ...item.contact,
            photo: undefined,
            folderIds: [...item.folderIds],
            extra: withoutRestoreExtras(item.contact.extra),
          },
          item.photo?.bytes,
        );
        book.restoreIds.set(item.restoreId, id);
        return { key: item.key, ok: true, targetId: id };
      });
    },
    async update(items: readonly WriteItem[]): Promise<WriteResult[]> {
      return items.map((item) => {
        if (!item.targetId || !book.contacts.has(item.targetId)) {
          return { key: item.key, ok: false, error: 'not found', retryable: false };
        }
        book.put(
          item.targetId,
          {
            ...item.contact,
            photo: undefined,
            folderIds: [...item.folderIds],
            extra: withoutRestoreExtras(item.contact.extra),
          },
          item.photo?.bytes,
        );
        return { key: item.key, ok: true, targetId: item.targetId };
      });
    },
    unsupportedFields() {
      return [];
    },
  };
}
