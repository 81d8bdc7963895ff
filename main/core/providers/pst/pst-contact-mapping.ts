/**
 * pst-extractor objects → our Contact model, reversing the writer's conventions
 * (main/core/export/pst/contact-properties.ts): year 1604 = no year, default File-as dropped, a
 * formatted address equal to the one built from its parts dropped, Home2/Business2 back to home/work.
 */
import type { PSTAttachment, PSTMessage } from 'pst-extractor';
import {
  emptyContact,
  type Contact,
  type ContactEvent,
  type PartialDate,
  type PostalAddress,
  type Relation,
  type TypedValue,
} from '../../contacts/model';
import {
  addressTags,
  defaultFileAs,
  formatAddress,
  phoneTags,
  yearlessYear,
} from '../../export/pst/contact-properties';
import type { PhotoBytes } from '../provider';

/** The protected accessors of pst-extractor's PSTObject, which the typings hide. */
interface RawItems {
  getStringItem(identifier: number): string;
  getIntItem(identifier: number, defaultValue?: number): number;
  getBinaryItem(identifier: number): Buffer | null;
  getBooleanItem(identifier: number, defaultValue?: boolean): boolean;
  pstTableItems: Map<number, { data: Buffer }> | null;
}

/** The subset of PSTContact getters used here (named properties resolved by pst-extractor). */
export interface ContactLike extends PSTMessage {
  readonly givenName: string;
  readonly surname: string;
  readonly middleName: string;
  readonly displayNamePrefix: string;
  readonly generation: string;
  readonly nickname: string;
  readonly fileUnder: string;
  readonly email1EmailAddress: string;
  readonly email2EmailAddress: string;
  readonly email3EmailAddress: string;
  readonly homeAddress: string;
  readonly workAddress: string;
  readonly otherAddress: string;
  readonly postalAddressId: number;
  readonly html: string;
  readonly instantMessagingAddress: string;
  readonly birthday: Date | null;
  readonly anniversary: Date | null;
}

function raw(object: unknown): RawItems {
  return object as RawItems;
}

function text(value: string | undefined | null): string | undefined {
  return value ? value : undefined;
}

/** A stored FILETIME date back to a PartialDate (UTC midnight; year 1604 means "no year"). */
export function dateToPartialDate(date: Date | null): PartialDate | undefined {
  if (!date || Number.isNaN(date.getTime()) || date.getTime() <= -11644473600000) return undefined;
  const year = date.getUTCFullYear();
  return {
    ...(year === yearlessYear ? {} : { year }),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
  };
}

function phones(item: RawItems): TypedValue[] {
  const result: TypedValue[] = [];
  const seen = new Set<number>();
  for (const [type, tags] of Object.entries(phoneTags)) {
    for (const tag of tags) {
      if (seen.has(tag)) continue;
      seen.add(tag);
      const value = text(item.getStringItem(tag));
      if (value) result.push({ value, type });
    }
  }
  return result;
}

function addresses(contact: ContactLike, item: RawItems): PostalAddress[] {
  const formatted = { home: contact.homeAddress, work: contact.workAddress, other: contact.otherAddress };
  const primaryKind = (['home', 'work', 'other'] as const)[contact.postalAddressId - 1];
  const result: PostalAddress[] = [];
  for (const kind of ['home', 'work', 'other'] as const) {
    const [streetText, city, region, postalCode, country, poBox] = addressTags[kind].map((tag) =>
      text(item.getStringItem(tag)),
    );
    const [street, ...rest] = streetText ? streetText.split('\n') : [];
    const parts: PostalAddress = {
      type: kind,
      ...(street ? { street } : {}),
      ...(rest.length > 0 ? { extended: rest.join('\n') } : {}),
      ...(city ? { city } : {}),
      ...(region ? { region } : {}),
      ...(postalCode ? { postalCode } : {}),
      ...(country ? { country } : {}),
      ...(poBox ? { poBox } : {}),
    };
    const printable = text(formatted[kind]);
    if (Object.keys(parts).length === 1 && !printable) continue;
    result.push({
      ...parts,
      ...(printable && printable !== formatAddress(parts) ? { formatted: printable } : {}),
      ...(primaryKind === kind ? { primary: true } : {}),
    });
  }
  return result;
}

/** Maps one PST contact message to our model (photo separately, see `contactPhoto`). */
export function pstContactToContact(contact: ContactLike, folderId: string): Contact {
  const item = raw(contact);
  const base = emptyContact(contact.displayName ?? '');
  const name = {
    ...(text(contact.givenName) ? { given: contact.givenName } : {}),
    ...(text(contact.surname) ? { family: contact.surname } : {}),
    ...(text(contact.middleName) ? { middle: contact.middleName } : {}),
    ...(text(contact.displayNamePrefix) ? { prefix: contact.displayNamePrefix } : {}),
    ...(text(contact.generation) ? { suffix: contact.generation } : {}),
  };
  const organization = {
    ...(text(item.getStringItem(0x3a16)) ? { name: item.getStringItem(0x3a16) } : {}),
    ...(text(item.getStringItem(0x3a18)) ? { department: item.getStringItem(0x3a18) } : {}),
    ...(text(item.getStringItem(0x3a17)) ? { title: item.getStringItem(0x3a17) } : {}),
    ...(text(item.getStringItem(0x3a19)) ? { location: item.getStringItem(0x3a19) } : {}),
    ...(text(item.getStringItem(0x3a46)) ? { profession: item.getStringItem(0x3a46) } : {}),
  };
  const urls: TypedValue[] = [];
  const personal = text(item.getStringItem(0x3a50));
  const work = text(item.getStringItem(0x3a51));
  if (personal) urls.push({ value: personal, type: 'home-page' });
  if (work) urls.push({ value: work, type: 'work' });
  const html = text(contact.html);
  if (html && html !== personal && html !== work) urls.push({ value: html, type: 'other' });
  const events: ContactEvent[] = [];
  const anniversary = dateToPartialDate(contact.anniversary);
  if (anniversary) events.push({ type: 'anniversary', date: anniversary });
  const relations: Relation[] = [];
  for (const [tag, type] of [
    [0x3a48, 'spouse'],
    [0x3a4e, 'manager'],
    [0x3a30, 'assistant'],
  ] as const) {
    const value = text(item.getStringItem(tag));
    if (value) relations.push({ name: value, type });
  }
  const emails = [contact.email1EmailAddress, contact.email2EmailAddress, contact.email3EmailAddress]
    .filter((value): value is string => Boolean(value))
    .map((value) => ({ value }));
  const partial: Contact = {
    ...base,
    name,
    nicknames: text(contact.nickname) ? [contact.nickname] : [],
    emails,
    phones: phones(item),
    addresses: addresses(contact, item),
    urls,
    organizations: Object.keys(organization).length > 0 ? [organization] : [],
    events,
    relations,
    imAddresses: text(contact.instantMessagingAddress) ? [{ value: contact.instantMessagingAddress }] : [],
    folderIds: [folderId],
    ...(text(contact.body) ? { notes: contact.body } : {}),
  };
  const birthday = dateToPartialDate(contact.birthday);
  const fileUnder = text(contact.fileUnder);
  return {
    ...partial,
    ...(birthday ? { birthday } : {}),
    ...(fileUnder && fileUnder !== defaultFileAs(partial) ? { fileAs: fileUnder } : {}),
  };
}

function mediaTypeOf(attachment: PSTAttachment): string {
  const mime = text(attachment.mimeTag);
  if (mime) return mime;
  const name = (attachment.longFilename || attachment.filename || '').toLowerCase();
  if (name.endsWith('.png')) return 'image/png';
  if (name.endsWith('.gif')) return 'image/gif';
  return 'image/jpeg';
}

/** The contact picture: the attachment with PidTagAttachmentContactPhoto ([MS-OXOCNTC] §2.2.1.8). */
export function contactPhoto(message: PSTMessage): PhotoBytes | undefined {
  for (let index = 0; index < message.numberOfAttachments; index++) {
    const attachment = message.getAttachment(index);
    const isPhoto =
      raw(attachment).getBooleanItem(0x7fff, false) ||
      /^contactpicture\./i.test(attachment.longFilename || attachment.filename || '');
    if (!isPhoto) continue;
    const stream = attachment.fileInputStream;
    if (!stream) continue;
    const bytes = Buffer.alloc(stream.length.toNumber());
    stream.readCompletely(bytes);
    return { mediaType: mediaTypeOf(attachment), bytes };
  }
  return undefined;
}
