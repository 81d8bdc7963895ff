/**
 * The data behind the Graph fake: users, their contact folders, contacts and photos, and a change
 * sequence per mailbox from which delta rounds are computed. Pure data, no HTTP.
 */
import { applyContactWrite, type GraphProps, type StoredContact } from './contact-json';
import { newGraphId } from './ids';

export interface StoredFolder {
  readonly id: string;
  displayName: string;
  /** The parent folder id; the default folder's parent is the mailbox root (not a contact folder). */
  parentFolderId: string;
  seq: number;
}

export interface StoredPhoto {
  readonly bytes: Uint8Array;
  readonly contentType: string;
}

/** A removal delta must report for one folder. */
export interface Tombstone {
  readonly id: string;
  readonly folderId: string;
  readonly seq: number;
}

export class Mailbox {
  readonly id = newGraphId('user');
  readonly rootFolderId = newGraphId('folder');
  readonly defaultFolderId = newGraphId('folder');
  readonly folders = new Map<string, StoredFolder>();
  readonly contacts = new Map<string, StoredContact>();
  readonly photos = new Map<string, StoredPhoto>();
  readonly tombstones: Tombstone[] = [];
  readonly folderTombstones: Tombstone[] = [];
  seq = 0;
  accountEnabled = true;

  constructor(
    readonly email: string,
    readonly displayName: string,
    readonly tenantId: string,
  ) {
    this.folders.set(this.defaultFolderId, {
      id: this.defaultFolderId,
      displayName: 'Contacts',
      parentFolderId: this.rootFolderId,
      seq: 0,
    });
  }

  private tick(): { seq: number; changeKey: string; time: string } {
    this.seq += 1;
    return {
      seq: this.seq,
      changeKey: `EQAAABYAAA${this.seq.toString(36)}${Math.random().toString(36).slice(2, 8)}`,
      time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
  }

  /** True for the default folder and every folder below it. */
  isContactFolder(id: string): boolean {
    return this.folders.has(id);
  }

  childFolders(parentId: string): StoredFolder[] {
    return [...this.folders.values()].filter((f) => f.parentFolderId === parentId);
  }

  addFolder(displayName: string, parentId: string = this.defaultFolderId): StoredFolder | { error: string } {
    if (!this.folders.has(parentId)) return { error: 'notFound' };
    const clash = this.childFolders(parentId).some((f) => f.displayName === displayName);
    if (clash) return { error: 'conflict' };
    const folder: StoredFolder = {
      id: newGraphId('folder'),
      displayName,
      parentFolderId: parentId,
      seq: this.tick().seq,
    };
    this.folders.set(folder.id, folder);
    return folder;
  }

  renameFolder(id: string, displayName: string): void {
    const folder = this.folders.get(id);
    if (!folder) throw new Error(`no folder ${id}`);
    folder.displayName = displayName;
    folder.seq = this.tick().seq;
  }

  /** Deletes a folder, its sub-folders and their contacts (they move to Deleted Items, out of reach). */
  deleteFolder(id: string): boolean {
    if (id === this.defaultFolderId || !this.folders.has(id)) return false;
    for (const child of this.childFolders(id)) this.deleteFolder(child.id);
    for (const contact of [...this.contacts.values()])
      if (contact.folderId === id) this.deleteContact(contact.id);
    this.folders.delete(id);
    this.folderTombstones.push({ id, folderId: '', seq: this.tick().seq });
    return true;
  }

  addContact(body: GraphProps, folderId: string = this.defaultFolderId): StoredContact | { error: string } {
    if (!this.folders.has(folderId)) return { error: 'notFound' };
    const written = applyContactWrite({}, body);
    if ('error' in written) return written;
    const props = written.props;
    if (typeof props.displayName !== 'string' || props.displayName === '') {
      // Outlook builds a display name from the name parts when none is given.
      const built = [props.givenName, props.middleName, props.surname].filter(
        (v) => typeof v === 'string' && v,
      );
      props.displayName = built.join(' ');
    }
    const t = this.tick();
    const contact: StoredContact = {
      id: newGraphId('contact'),
      folderId,
      changeKey: t.changeKey,
      createdDateTime: t.time,
      lastModifiedDateTime: t.time,
      seq: t.seq,
      props,
      ...(written.extended ? { extended: written.extended } : {}),
    };
    this.contacts.set(contact.id, contact);
    return contact;
  }

  updateContact(id: string, body: GraphProps): StoredContact | { error: string } {
    const contact = this.contacts.get(id);
    if (!contact) return { error: 'notFound' };
    const written = applyContactWrite(contact.props, body);
    if ('error' in written) return written;
    contact.props = written.props;
    if (written.extended) contact.extended = { ...contact.extended, ...written.extended };
    this.touch(contact);
    return contact;
  }

  private touch(contact: StoredContact): void {
    const t = this.tick();
    contact.changeKey = t.changeKey;
    contact.lastModifiedDateTime = t.time;
    contact.seq = t.seq;
  }

  deleteContact(id: string): boolean {
    const contact = this.contacts.get(id);
    if (!contact) return false;
    this.contacts.delete(id);
    this.photos.delete(id);
    this.tombstones.push({ id, folderId: contact.folderId, seq: this.tick().seq });
    return true;
  }

  /** Moves a contact: delta reports it removed from the old folder and added to the new one. */
  moveContact(id: string, folderId: string): void {
    const contact = this.contacts.get(id);
    if (!contact || !this.folders.has(folderId)) throw new Error('no such contact or folder');
    this.tombstones.push({ id, folderId: contact.folderId, seq: this.tick().seq });
    contact.folderId = folderId;
    this.touch(contact);
  }

  /** Sets or clears a photo; the contact's changeKey changes, as an Outlook item save does. */
  setPhoto(id: string, photo: StoredPhoto | undefined): boolean {
    const contact = this.contacts.get(id);
    if (!contact) return false;
    if (photo) this.photos.set(id, photo);
    else this.photos.delete(id);
    this.touch(contact);
    return true;
  }
}
