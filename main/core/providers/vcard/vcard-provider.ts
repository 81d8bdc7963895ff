/**
 * A ContactProvider over vCard files: a `.vcf` file or a folder of them (searched recursively).
 * Used for importing an existing vCard export into the backup (product.md B17), for the sample
 * address book, and as a restore target in tests.
 *
 * - Folders: CATEGORIES values, and the sub-folders of the source folder (nested via parentId).
 * - sourceId: the card's UID; a card without UID gets a hash of its file path and content, so the
 *   id stays the same while the card is unchanged.
 * - sync: files have no change feed, so every sync is a full read (`full: true`), delivered in
 *   pages of at most 1000 contacts.
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
import { readVcardBook, sourceFingerprint } from './vcard-source';
import { createVcardWriter } from './vcard-writer';

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
  async function load(context: WorkContext) {
    const book = await readVcardBook(settings.path, {
      skipMalformed: settings.skipMalformed ?? false,
      signal: context.signal,
    });
    for (const skipped of book.skipped) {
      // Line numbers only: the log never carries contact data.
      context.log(`Skipped an unreadable card at line ${skipped.line} of ${basename(skipped.file)}.`);
    }
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
      // Nothing changed since the last backup: say so without parsing (an incremental "no changes").
      const fingerprint = await sourceFingerprint(settings.path, context.signal);
      if (cursor === fingerprint) return { full: false, cursor };
      const book = await load(context);
      const total = book.contacts.length;
      context.progress(0, total);
      if (total === 0) {
        await sink({ folders: book.folders, upserts: [], deletions: [] });
        return { full: true, cursor: fingerprint };
      }
      for (let start = 0; start < total; start += VCARD_PAGE_SIZE) {
        context.signal.throwIfAborted();
        const upserts = book.contacts.slice(start, start + VCARD_PAGE_SIZE);
        await sink({ ...(start === 0 ? { folders: book.folders } : {}), upserts, deletions: [] });
        context.progress(Math.min(start + VCARD_PAGE_SIZE, total), total);
      }
      return { full: true, cursor: fingerprint };
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
