/**
 * A card's text to a SourceContact, with the project's vCard parser. The source id is the card's
 * path on the server (its href), not its UID: the href names exactly one resource, survives edits,
 * and is what sync-collection reports deletions by; a UID may be missing, repeated across address
 * books (the same person in "Work" and "Family"), or changed by a client. The UID is kept in
 * `extra['carddav.uid']` so a restore writes it back. A card the parser cannot read is kept whole
 * (`extra['carddav.unreadable']`) rather than dropped, so a full read never marks it deleted.
 */
import { createHash } from 'node:crypto';
import { emptyContact, type Contact } from '../../contacts/model';
import { parseVcard } from '../../contacts/vcard-parse';
import type { SourceContact } from '../provider';

/** The property that carries a restore's identity inside a card (restore-identity design). */
export const RESTORE_ID_PROPERTY = 'X-CONTACTS-BACKUP-RESTORE-ID';

export const EXTRA_UID = 'carddav.uid';
export const EXTRA_CATEGORIES = 'carddav.categories';
export const EXTRA_UNREADABLE = 'carddav.unreadable';

function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The last path segment, decoded (shown for unreadable cards; never contact data). */
export function fileNameOf(path: string): string {
  const segments = path.split('/').filter(Boolean);
  try {
    return decodeURIComponent(segments[segments.length - 1] ?? path);
  } catch {
    return segments[segments.length - 1] ?? path;
  }
}

/** Builds the SourceContact of the card at `path` in the address book `bookPath`. */
export function sourceContactOf(path: string, bookPath: string, text: string): SourceContact {
  let parsed: ReturnType<typeof parseVcard>;
  try {
    parsed = parseVcard(text);
  } catch {
    const contact: Contact = {
      ...emptyContact(fileNameOf(path)),
      folderIds: [bookPath],
      extra: { [EXTRA_UNREADABLE]: text },
    };
    return { sourceId: path, contact };
  }
  const extra: Record<string, unknown> = { ...parsed.contact.extra };
  if (parsed.uid) extra[EXTRA_UID] = parsed.uid;
  if (parsed.categories.length > 0) extra[EXTRA_CATEGORIES] = parsed.categories;
  const contact: Contact = {
    ...parsed.contact,
    // Our own restore marker is bookkeeping, not a field the user typed.
    customFields: parsed.contact.customFields.filter(
      (field) => field.key.toUpperCase() !== RESTORE_ID_PROPERTY,
    ),
    folderIds: [bookPath],
    extra,
  };
  const photo = parsed.photo;
  if (!photo || photo.bytes.length === 0) return { sourceId: path, contact };
  return { sourceId: path, contact, photo: { key: sha256Hex(photo.bytes), load: async () => photo } };
}

/** The restore id a card carries, if any (findRestored reads it when the file name was changed). */
export function restoreIdOf(text: string): string | undefined {
  const match = text.match(/^X-CONTACTS-BACKUP-RESTORE-ID[^:\r\n]*:(cbr-[0-9a-f]{32})\s*$/im);
  return match?.[1];
}
