/**
 * The PST reading itself, run inside a worker thread (pst-read-worker.ts): pst-extractor can loop
 * for ever on a damaged table, and only a worker can be stopped from outside. Everything it returns
 * is plain data (structured-cloneable). Damage is contained per folder and per item: what could not
 * be read is listed in `problems`, never silently dropped.
 */
import { createHash } from 'node:crypto';
import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { basename } from 'node:path';
import { PSTFile, type PSTFolder, type PSTMessage } from 'pst-extractor';
// Not re-exported by the package's index; its class file is part of the published dist.
import { PSTContact } from 'pst-extractor/dist/PSTContact.class.js';
import type { Contact, ContactFolder } from '../../contacts/model';
import { contactPhoto, pstContactToContact, type ContactLike } from './pst-contact-mapping';
import { count } from '../../plural';

/** One contact read from the file, with its photo as bytes. */
export interface PstReadContact {
  readonly sourceId: string;
  readonly contact: Contact;
  readonly photo?: { readonly key: string; readonly mediaType: string; readonly bytes: Uint8Array };
}

/** What one read of a PST gives. */
export interface PstReadResult {
  readonly folders: ContactFolder[];
  readonly contacts: PstReadContact[];
  /** Sentences naming what could not be read (a folder, a number of items). Empty = complete. */
  readonly problems: string[];
  /** Distribution lists (IPM.DistList) found in contact folders: lists, not contacts. */
  readonly distributionLists: number;
  /** The store carries an Outlook PST password (PidTagPstPassword). */
  readonly passwordProtected: boolean;
}

/** A read that could not start: kind says why, message is the sentence for the user. */
export class PstReadError extends Error {
  constructor(
    readonly kind: 'not-found' | 'invalid-input',
    message: string,
  ) {
    super(message);
    this.name = 'PstReadError';
  }
}

/** Items between two progress reports (each resets the reader's time budget). */
const PROGRESS_EVERY = 100;

/** PidTagPstPassword ([MS-PST] §2.4.3.1): a CRC of the password, 0 or absent when none. */
const PID_TAG_PST_PASSWORD = 0x67ff;

/** Rejects what is not a PST before pst-extractor sees it ([MS-PST] §2.2.2.6 header). */
function assertPstHeader(path: string): void {
  let handle: number;
  try {
    handle = openSync(path, 'r');
  } catch {
    throw new PstReadError('not-found', `Cannot open the PST file ${basename(path)}.`);
  }
  try {
    if (fstatSync(handle).size === 0) {
      throw new PstReadError(
        'invalid-input',
        `${basename(path)} is empty: the file is empty, so nothing was read.`,
      );
    }
    const header = Buffer.alloc(564);
    const bytesRead = readSync(handle, header, 0, 564, 0);
    const version = header.readUInt16LE(10);
    if (bytesRead < 564 || header.toString('latin1', 0, 4) !== '!BDN' || header.readUInt16LE(8) !== 0x4d53) {
      throw new PstReadError('invalid-input', `${basename(path)} is not an Outlook PST file.`);
    }
    if (![14, 15, 23, 36].includes(version)) {
      throw new PstReadError('invalid-input', `${basename(path)} has an unknown PST version (${version}).`);
    }
  } finally {
    closeSync(handle);
  }
}

function isContactFolder(folder: PSTFolder): boolean {
  return (folder.containerClass ?? '').startsWith('IPF.Contact');
}

/** `IPM.Contact` and custom contact forms (`IPM.Contact.<form>`, [MS-OXOCNTC] §1.3). */
export function isContactClass(messageClass: string): boolean {
  return messageClass === 'IPM.Contact' || messageClass.startsWith('IPM.Contact.');
}

/**
 * pst-extractor builds a PSTContact only for the exact class `IPM.Contact`; a custom form's item is
 * a plain PSTMessage over the same property table. PSTContact adds only getters over that table (its
 * constructor just calls PSTMessage's), so giving the item PSTContact's prototype reads it as one.
 */
export function asContact(message: PSTMessage): ContactLike {
  if (!(message instanceof PSTContact)) Object.setPrototypeOf(message, PSTContact.prototype);
  return message as ContactLike;
}

function readContact(message: PSTMessage, folderId: string): PstReadContact {
  const contact = pstContactToContact(asContact(message), folderId);
  const photo = contactPhoto(message);
  return {
    sourceId: message.descriptorNodeId.toString(),
    contact,
    ...(photo
      ? {
          photo: {
            key: createHash('sha256').update(photo.bytes).digest('hex'),
            mediaType: photo.mediaType,
            bytes: photo.bytes,
          },
        }
      : {}),
  };
}

function passwordOf(file: PSTFile): boolean {
  try {
    const store = file.getMessageStore() as unknown as {
      pstTableItems?: Map<number, { entryValueReference: number }>;
    };
    return Boolean(store.pstTableItems?.get(PID_TAG_PST_PASSWORD)?.entryValueReference);
  } catch {
    return false;
  }
}

/** Reads every contact folder (nested as in the file) and every contact item of a PST. */
export function readPstFile(path: string, onProgress?: (itemsRead: number) => void): PstReadResult {
  assertPstHeader(path);
  let file: PSTFile;
  try {
    file = new PSTFile(path);
  } catch {
    throw new PstReadError(
      'invalid-input',
      `${basename(path)} could not be read as a PST file (it may be damaged).`,
    );
  }
  const folders: ContactFolder[] = [];
  const contacts: PstReadContact[] = [];
  const problems: string[] = [];
  let distributionLists = 0;
  let itemsRead = 0;
  try {
    const passwordProtected = passwordOf(file);
    const visit = (folder: PSTFolder, contactParent: string | undefined, where: string): void => {
      let parentForChildren = contactParent;
      let name = where;
      try {
        name = folder.displayName || where;
        if (isContactFolder(folder)) {
          const id = folder.descriptorNodeId.toString();
          folders.push({ id, name, ...(contactParent ? { parentId: contactParent } : {}) });
          parentForChildren = id;
          readItems(folder, id, name);
        }
      } catch {
        problems.push(`The folder "${name}" could not be read.`);
        return;
      }
      let subfolders: PSTFolder[] = [];
      try {
        if (folder.hasSubfolders) subfolders = folder.getSubFolders();
      } catch {
        problems.push(`The sub-folders of "${name}" could not be read.`);
      }
      for (const sub of subfolders) visit(sub, parentForChildren, `${name}/…`);
    };
    const readItems = (folder: PSTFolder, id: string, name: string): void => {
      const expected = folder.contentCount;
      if (expected <= 0) return;
      let seen = 0;
      let unreadable = 0;
      let otherClasses = 0;
      try {
        for (let child = folder.getNextChild(); child; child = folder.getNextChild()) {
          seen += 1;
          if (++itemsRead % PROGRESS_EVERY === 0) onProgress?.(itemsRead);
          const message = child as PSTMessage;
          try {
            const messageClass = message.messageClass ?? '';
            if (isContactClass(messageClass)) contacts.push(readContact(message, id));
            else if (messageClass === 'IPM.DistList') distributionLists += 1;
            // Something else in a contact folder: rare by design, and a damaged class looks the same.
            else otherClasses += 1;
          } catch {
            unreadable += 1;
          }
        }
      } catch {
        // The folder's contents table broke part-way: the rest of its items cannot be reached.
      }
      const missing = Math.max(0, expected - seen) + unreadable;
      if (missing)
        problems.push(`${missing} of ${count(expected, 'item')} in the folder "${name}" could not be read.`);
      if (otherClasses) {
        problems.push(
          `Not read in the contact folder "${name}": ${count(otherClasses, 'item')} that are not contacts (or are damaged).`,
        );
      }
    };
    visit(file.getRootFolder(), undefined, basename(path));
    return { folders, contacts, problems, distributionLists, passwordProtected };
  } catch (error) {
    if (error instanceof PstReadError) throw error;
    throw new PstReadError(
      'invalid-input',
      `${basename(path)} could not be read as a PST file (it may be damaged).`,
    );
  } finally {
    try {
      file.close();
    } catch {
      // closing a half-opened file is best effort
    }
  }
}
