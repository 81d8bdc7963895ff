/**
 * A PST file as a read-only contact source (issue 7): every sync is a full read through pst-extractor.
 * Folder ids and contact source ids are NIDs in decimal, stable for a given file. A file that is not a
 * readable PST yields ProviderError('invalid-input') instead of a crash.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { PSTFile, type PSTFolder, type PSTMessage } from 'pst-extractor';
import type { ContactFolder } from '../../contacts/model';
import {
  ProviderError,
  type AccountUser,
  type ContactProvider,
  type ContactWriter,
  type SourceContact,
  type SyncBatch,
  type SyncOutcome,
  type WorkContext,
} from '../provider';
import { contactPhoto, pstContactToContact, type ContactLike } from './pst-contact-mapping';

/** The one user a PST file has. */
export const pstUserId = 'pst';
const pageSize = 500;

export interface PstContents {
  readonly folders: ContactFolder[];
  readonly contacts: SourceContact[];
}

/** Rejects anything that is not a PST before pst-extractor sees it ([MS-PST] §2.2.2.6 header). */
async function assertPstHeader(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    throw new ProviderError('not-found', `Cannot open the PST file ${basename(path)}.`);
  }
  try {
    const header = Buffer.alloc(564);
    const { bytesRead } = await handle.read(header, 0, 564, 0);
    const version = header.readUInt16LE(10);
    if (bytesRead < 564 || header.toString('latin1', 0, 4) !== '!BDN' || header.readUInt16LE(8) !== 0x4d53) {
      throw new ProviderError('invalid-input', `${basename(path)} is not an Outlook PST file.`);
    }
    if (![14, 15, 23, 36].includes(version)) {
      throw new ProviderError('invalid-input', `${basename(path)} has an unknown PST version (${version}).`);
    }
  } finally {
    await handle.close();
  }
}

function isContactFolder(folder: PSTFolder): boolean {
  return (folder.containerClass ?? '').startsWith('IPF.Contact');
}

function sourceContact(message: PSTMessage, folderId: string): SourceContact {
  const contact = pstContactToContact(message as ContactLike, folderId);
  const photo = contactPhoto(message);
  return {
    sourceId: message.descriptorNodeId.toString(),
    contact,
    ...(photo
      ? {
          photo: {
            key: createHash('sha256').update(photo.bytes).digest('hex'),
            load: async () => photo,
          },
        }
      : {}),
  };
}

/**
 * Reads every contact folder (nested as in the file) and every IPM.Contact message of a PST.
 * Distribution lists and other item classes are skipped.
 */
export async function readPstContacts(path: string, signal?: AbortSignal): Promise<PstContents> {
  await assertPstHeader(path);
  let file: PSTFile | undefined;
  try {
    file = new PSTFile(path);
    const folders: ContactFolder[] = [];
    const contacts: SourceContact[] = [];
    const visit = (folder: PSTFolder, contactParent: string | undefined): void => {
      if (signal?.aborted) throw new ProviderError('invalid-input', 'Reading the PST was cancelled.');
      let parentForChildren = contactParent;
      if (isContactFolder(folder)) {
        const id = folder.descriptorNodeId.toString();
        folders.push({ id, name: folder.displayName, ...(contactParent ? { parentId: contactParent } : {}) });
        parentForChildren = id;
        if (folder.contentCount > 0) {
          for (let child = folder.getNextChild(); child; child = folder.getNextChild()) {
            const message = child as PSTMessage;
            if (message.messageClass === 'IPM.Contact') contacts.push(sourceContact(message, id));
          }
        }
      }
      if (folder.hasSubfolders) for (const sub of folder.getSubFolders()) visit(sub, parentForChildren);
    };
    visit(file.getRootFolder(), undefined);
    return { folders, contacts };
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    throw new ProviderError(
      'invalid-input',
      `${basename(path)} could not be read as a PST file (it may be damaged).`,
    );
  } finally {
    try {
      file?.close();
    } catch {
      // closing a half-opened file is best effort
    }
  }
}

/** A read-only ContactProvider over one PST file. */
export function createPstProvider(path: string): ContactProvider {
  return {
    async listUsers(): Promise<AccountUser[]> {
      return [{ id: pstUserId, email: basename(path), displayName: basename(path), active: true }];
    },
    async sync(
      _userId: string,
      _cursor: string | undefined,
      sink: (batch: SyncBatch) => Promise<void>,
      context: WorkContext,
    ): Promise<SyncOutcome> {
      const { folders, contacts } = await readPstContacts(path, context.signal);
      for (let start = 0; start === 0 || start < contacts.length; start += pageSize) {
        await sink({
          ...(start === 0 ? { folders } : {}),
          upserts: contacts.slice(start, start + pageSize),
          deletions: [],
        });
        context.progress(Math.min(contacts.length, start + pageSize), contacts.length);
      }
      return { full: true };
    },
    async fetchContacts(
      _userId: string,
      sourceIds: readonly string[],
      context: WorkContext,
    ): Promise<SourceContact[]> {
      const wanted = new Set(sourceIds);
      const { contacts } = await readPstContacts(path, context.signal);
      return contacts.filter((contact) => wanted.has(contact.sourceId));
    },
    writer(): ContactWriter | undefined {
      return undefined;
    },
  };
}
