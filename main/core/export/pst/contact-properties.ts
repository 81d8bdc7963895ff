/**
 * Contact → MAPI properties of an IPM.Contact message ([MS-OXOCNTC] §2.2, pst.md §8), and the
 * conventions the PST import reverses (pst-provider.ts):
 * - a birthday without a year is stored in year 1604, as Outlook does for year-less dates;
 * - "File as" always set (PidLidFileUnder; readpst prints it as FN): the contact's own, else Outlook's
 *   default "Surname, Given" with PidLidFileUnderId 0x8017; a custom one has no FileUnderId;
 * - a formatted address is only stored as given, else built from the parts (see `formatAddress`).
 */
import type { Contact, PartialDate, PostalAddress } from '../../contacts/model';
import { bestDisplayName } from '../../contacts/model';
import { utf16 } from './binary';
import { keywordsNpid, npidOf, type LidName } from './name-to-id-map';
import {
  binaryValue,
  booleanValue,
  int32Value,
  multiInt32Value,
  multiStringValue,
  stringValue,
  timeValue,
  type PropValue,
} from './property-values';

/** Year stored for a birthday or anniversary that has no year (Outlook's own convention). */
export const yearlessYear = 1604;
/** PidLidFileUnderId for "Surname, Given" (Outlook's default). */
export const fileUnderLastFirst = 0x8017;

/** Our phone kinds → PidTag…TelephoneNumber IDs; a second home/work number goes to Home2/Business2. */
export const phoneTags: Readonly<Record<string, readonly number[]>> = {
  mobile: [0x3a1c],
  home: [0x3a09, 0x3a2f],
  work: [0x3a08, 0x3a1b],
  main: [0x3a1a],
  'home-fax': [0x3a25],
  'work-fax': [0x3a24],
  'other-fax': [0x3a23],
  pager: [0x3a21],
  car: [0x3a1e],
  radio: [0x3a1d],
  callback: [0x3a02],
  isdn: [0x3a2d],
  telex: [0x3a2c],
  tty: [0x3a4b],
  assistant: [0x3a2e],
  'company-main': [0x3a57],
  other: [0x3a1f],
};

/** PidTag IDs of the home, work and other address parts: street, city, region, postal code, country, PO box. */
export const addressTags = {
  home: [0x3a5d, 0x3a59, 0x3a5c, 0x3a5b, 0x3a5a, 0x3a5e],
  work: [0x3a29, 0x3a27, 0x3a28, 0x3a2a, 0x3a26, 0x3a2b],
  other: [0x3a63, 0x3a5f, 0x3a62, 0x3a61, 0x3a60, 0x3a64],
} as const;

const workLids: LidName[] = [
  'workStreet',
  'workCity',
  'workState',
  'workPostalCode',
  'workCountry',
  'workPoBox',
];
const formattedLids: Record<keyof typeof addressTags, LidName> = {
  home: 'homeAddress',
  work: 'workAddress',
  other: 'otherAddress',
};
const postalAddressIds: Record<keyof typeof addressTags, number> = { home: 1, work: 2, other: 3 };

/** Street as stored: the street line, then the extended line if any. */
export function streetOf(address: PostalAddress): string | undefined {
  const lines = [address.street, address.extended].filter((line): line is string => Boolean(line));
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** The printable address Outlook shows: street, "city region postal code", country, CRLF-separated. */
export function formatAddress(address: PostalAddress): string {
  const cityLine = [address.city, address.region, address.postalCode].filter(Boolean).join(' ');
  return [streetOf(address), address.poBox, cityLine, address.country].filter(Boolean).join('\r\n');
}

/** Outlook's default File-as: "Surname, Given", else the display name. */
export function defaultFileAs(contact: Contact): string {
  const { family, given } = contact.name;
  if (family && given) return `${family}, ${given}`;
  return family ?? given ?? bestDisplayName(contact);
}

/** A PartialDate as the UTC midnight Outlook-style FILETIME value, or undefined without month and day. */
export function partialDateToDate(date: PartialDate | undefined): Date | undefined {
  if (!date?.month || !date.day) return undefined;
  return new Date(Date.UTC(date.year ?? yearlessYear, date.month - 1, date.day));
}

/** One-off EntryID for an SMTP address ([MS-OXCDATA] §2.2.5.1), as Outlook stores in Email1OriginalEntryId. */
function oneOffEntryId(displayName: string, address: string): Buffer {
  const header = Buffer.from('00000000812b1fa4bea310199d6e00dd010f540200000180', 'hex');
  const z = (text: string) => Buffer.concat([utf16(text), Buffer.alloc(2)]);
  return Buffer.concat([header, z(displayName), z('SMTP'), z(address)]);
}

function named(name: LidName): number {
  return npidOf(name);
}

/** The contact's MAPI properties (without the message bookkeeping, see contact-message.ts). */
export function contactProperties(
  contact: Contact,
  categories: readonly string[],
  hasPhoto: boolean,
): PropValue[] {
  const values: PropValue[] = [];
  const addString = (id: number, text: string | undefined) => {
    if (text) values.push(stringValue(id, text));
  };
  const displayName = bestDisplayName(contact);
  addString(0x3001, displayName); // Subject and ConversationTopic come with the row values
  const { name } = contact;
  addString(0x3a06, name.given);
  addString(0x3a11, name.family);
  addString(0x3a44, name.middle);
  addString(0x3a45, name.prefix);
  addString(0x3a05, name.suffix);
  addString(0x3a4f, contact.nicknames[0]);
  const fileAs = contact.fileAs ?? defaultFileAs(contact);
  addString(named('fileUnder'), fileAs);
  if (contact.fileAs === undefined) values.push(int32Value(named('fileUnderId'), fileUnderLastFirst));

  const organization = contact.organizations.find((item) => item.primary) ?? contact.organizations[0];
  addString(0x3a16, organization?.name);
  addString(0x3a18, organization?.department);
  addString(0x3a17, organization?.title);
  addString(0x3a19, organization?.location);
  addString(0x3a46, organization?.profession);

  const usedPhones = new Set<number>();
  for (const phone of contact.phones) {
    const candidates = phoneTags[phone.type ?? 'other'] ?? phoneTags.other;
    const tag = [...candidates, ...phoneTags.other].find((candidate) => !usedPhones.has(candidate));
    if (tag === undefined || !phone.value) continue;
    usedPhones.add(tag);
    values.push(stringValue(tag, phone.value));
  }

  const placed = new Map<keyof typeof addressTags, PostalAddress>();
  for (const address of contact.addresses) {
    const kind = address.type === 'home' || address.type === 'work' ? address.type : 'other';
    const slot = placed.has(kind) ? (['other', 'home', 'work'] as const).find((k) => !placed.has(k)) : kind;
    if (slot) placed.set(slot, address);
  }
  for (const [kind, address] of placed) {
    const parts = [
      streetOf(address),
      address.city,
      address.region,
      address.postalCode,
      address.country,
      address.poBox,
    ];
    addressTags[kind].forEach((tag, index) => addString(tag, parts[index]));
    if (kind === 'work') workLids.forEach((lidName, index) => addString(named(lidName), parts[index]));
    const formatted = address.formatted ?? formatAddress(address);
    addString(named(formattedLids[kind]), formatted);
    if (address.primary) {
      values.push(int32Value(named('postalAddressId'), postalAddressIds[kind]));
      addString(0x3a15, formatted); // PidTagPostalAddress = the mailing address
    }
  }

  const birthday = partialDateToDate(contact.birthday);
  if (birthday) values.push(timeValue(0x3a42, birthday));
  const anniversary = partialDateToDate(contact.events.find((event) => event.type === 'anniversary')?.date);
  if (anniversary) values.push(timeValue(0x3a41, anniversary));
  addString(0x1000, contact.notes);

  const workUrl = contact.urls.find((url) => url.type === 'work');
  const personalUrl = contact.urls.find((url) => url !== workUrl);
  addString(0x3a51, workUrl?.value);
  addString(0x3a50, personalUrl?.value);
  addString(named('html'), (contact.urls.find((url) => url.primary) ?? contact.urls[0])?.value);
  addString(named('instantMessaging'), contact.imAddresses[0]?.value);

  const spouse = contact.relations.find((relation) => relation.type === 'spouse');
  const manager = contact.relations.find((relation) => relation.type === 'manager');
  const assistant = contact.relations.find((relation) => relation.type === 'assistant');
  addString(0x3a48, spouse?.name);
  addString(0x3a4e, manager?.name);
  addString(0x3a30, assistant?.name);

  const emails = contact.emails.filter((email) => email.value).slice(0, 3);
  const emailLids = [
    [
      'email1DisplayName',
      'email1AddressType',
      'email1Address',
      'email1OriginalDisplayName',
      'email1OriginalEntryId',
    ],
    [
      'email2DisplayName',
      'email2AddressType',
      'email2Address',
      'email2OriginalDisplayName',
      'email2OriginalEntryId',
    ],
    [
      'email3DisplayName',
      'email3AddressType',
      'email3Address',
      'email3OriginalDisplayName',
      'email3OriginalEntryId',
    ],
  ] as const;
  emails.forEach((email, index) => {
    const [display, type, address, original, entryId] = emailLids[index];
    const shown = `${displayName} (${email.value})`;
    values.push(stringValue(named(display), shown));
    values.push(stringValue(named(type), 'SMTP'));
    values.push(stringValue(named(address), email.value));
    values.push(stringValue(named(original), email.value));
    values.push(binaryValue(named(entryId), oneOffEntryId(shown, email.value)));
  });
  if (emails.length > 0) {
    // PidLidAddressBookProviderEmailList and …ArrayType must agree ([MS-OXOCNTC] §2.2.1.2.10-11).
    values.push(
      multiInt32Value(
        named('emailList'),
        emails.map((_, index) => index),
      ),
    );
    values.push(
      int32Value(
        named('emailArrayType'),
        emails.reduce((mask, _, index) => mask | (1 << index), 0),
      ),
    );
  }

  if (categories.length > 0) values.push(multiStringValue(keywordsNpid, categories));
  if (hasPhoto) values.push(booleanValue(named('hasPicture'), true));
  return values;
}
