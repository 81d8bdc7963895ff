/**
 * Writes a Contact as one vCard 3.0 (RFC 2426) or 4.0 (RFC 6350) card, so exports open in Apple
 * Contacts, Google Contacts, Outlook and Thunderbird, and vcard-parse.ts reads back every field a
 * vCard can hold.
 *
 * - Text values escape `\`, `,` and newlines, and `;` where the grammar allows it (all 3.0 text,
 *   4.0 structured values); lines fold at 75 octets (never inside a UTF-8 sequence) with CRLF +
 *   space; every line ends with CRLF.
 * - FN is the display name, or the best name we can build when the contact has none (FN is required).
 * - Kinds become TYPE parameters (vcard-types.ts); a user's own label goes into Apple's
 *   `itemN.X-ABLabel`, which Apple and Google both read. Primary: TYPE=pref (3.0) or PREF=1 (4.0).
 * - Birthday without a year: `--MMDD` in 4.0; `--MM-DD` (ISO 8601 truncated) in 3.0, which
 *   vobject, ical.js and Apple read as a date without a year. A free-text birthday is
 *   `BDAY;VALUE=text` in 4.0 and `X-BIRTHDAY-TEXT` in 3.0 (RFC 2426 BDAY cannot be text).
 * - `restoreId` (restores only) is written as X-CONTACTS-BACKUP-RESTORE-ID, so a resumed restore
 *   finds the cards it already wrote.
 * - The first plain anniversary is ANNIVERSARY (4.0) / X-ANNIVERSARY (3.0); other events are Apple's
 *   `X-ABDATE` with a label. Relations are RELATED (4.0, RFC types) or `X-ABRELATEDNAMES` + label.
 * - SIP is `IMPP:sip:` in 4.0 and X-SIP in 3.0; IM is IMPP with the protocol's URI scheme.
 * - A custom field whose key is an X- name is written as that property; any other key is
 *   `itemN.X-CUSTOM-FIELD` with the key as its label.
 * What a vCard cannot hold is listed by vcardUnsupportedFields.
 */
import type { Contact, ContactEvent, PartialDate, PostalAddress, Relation, TypedValue } from './model';
import { bestDisplayName } from './model';
import type { PhotoBytes } from './model';
import { escapeText, foldLine, formatParamValue } from './vcard-syntax';
import {
  type TypedProperty,
  appleRelationLabels,
  imScheme,
  kindIsWritable,
  legacyImProperties,
  protocolOfScheme,
  rfcRelatedTypes,
  tokenOfMediaType,
  typeTokensFor,
} from './vcard-types';

export type VcardVersion = '3.0' | '4.0';

export interface VcardWriteOptions {
  readonly version: VcardVersion;
  readonly uid?: string;
  /** The restore identity (providers/provider.ts WriteItem.restoreId) of a card a restore writes. */
  readonly restoreId?: string;
  readonly photo?: PhotoBytes;
  /** Folder names, written as CATEGORIES. */
  readonly categories?: readonly string[];
}

type Param = readonly [name: string, values: readonly string[]];

/** X- names the parser gives a meaning, so a custom field with such a key must not use them. */
const reservedNames = new Set([
  'X-ABLABEL',
  'X-ABADR',
  'X-ABDATE',
  'X-ABRELATEDNAMES',
  'X-ABUID',
  'X-ABSHOWAS',
  'X-PHONETIC-FIRST-NAME',
  'X-PHONETIC-MIDDLE-NAME',
  'X-PHONETIC-LAST-NAME',
  'X-FILE-AS',
  'X-EVOLUTION-FILE-AS',
  'X-SIP',
  'X-GENDER',
  'X-WAB-GENDER',
  'X-CUSTOM-FIELD',
  'X-BIRTHDAY-TEXT',
  'X-SOCIALPROFILE',
  'X-ANNIVERSARY',
  'X-EVOLUTION-ANNIVERSARY',
  'X-KADDRESSBOOK-X-ANNIVERSARY',
  'X-MS-ANNIVERSARY',
  'X-SPOUSE',
  'X-MS-SPOUSE',
  'X-EVOLUTION-SPOUSE',
  'X-KADDRESSBOOK-X-SPOUSENAME',
  'X-MANAGER',
  'X-MS-MANAGER',
  'X-EVOLUTION-MANAGER',
  'X-KADDRESSBOOK-X-MANAGERSNAME',
  'X-ASSISTANT',
  'X-MS-ASSISTANT',
  'X-EVOLUTION-ASSISTANT',
  'X-KADDRESSBOOK-X-ASSISTANTSNAME',
  'X-MS-OL-DESIGN',
  'X-MS-OL-DEFAULT-POSTAL-ADDRESS',
  'X-MS-CARDPICTURE',
  'X-MOZILLA-HTML',
  'X-IMAGETYPE',
  'X-IMAGEHASH',
  'X-SHAREDPHOTODISPLAYPREF',
  'X-ADDRESSING-GRAMMAR',
  'X-EVOLUTION-LIST',
  'X-EVOLUTION-LIST-SHOW-ADDRESSES',
  ...Object.keys(legacyImProperties),
]);

/** Writes one card (CRLF line ends, folded). */
export function writeVcard(contact: Contact, options: VcardWriteOptions): string {
  const { version } = options;
  const esc = (value: string) => escapeText(value, version === '3.0');
  const lines: string[] = [];
  let groupCounter = 0;
  const nextGroup = () => `item${++groupCounter}`;
  const add = (group: string | undefined, name: string, params: readonly Param[], value: string) => {
    const paramText = params
      .filter(([, values]) => values.length > 0)
      .map(
        ([paramName, values]) => `;${paramName}=${values.map((v) => formatParamValue(v, version)).join(',')}`,
      )
      .join('');
    lines.push(`${group ? `${group}.` : ''}${name}${paramText}:${value}`);
  };
  const addLabel = (group: string, label: string) => add(group, 'X-ABLabel', [], esc(label));
  const pref = (primary: boolean | undefined): Param[] =>
    primary ? (version === '3.0' ? [['TYPE', ['pref']]] : [['PREF', ['1']]]) : [];

  lines.push('BEGIN:VCARD', `VERSION:${version}`, 'PRODID:-//Contacts Backup//vCard//EN');
  if (options.uid) {
    const isUri = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(options.uid);
    add(undefined, 'UID', version === '4.0' && !isUri ? [['VALUE', ['text']]] : [], esc(options.uid));
  }
  if (options.restoreId) add(undefined, 'X-CONTACTS-BACKUP-RESTORE-ID', [], esc(options.restoreId));
  add(undefined, 'FN', [], esc(contact.displayName.trim() ? contact.displayName : bestDisplayName(contact)));
  const { name } = contact;
  const nameParts = [name.family, name.given, name.middle, name.prefix, name.suffix];
  if (version === '3.0' || nameParts.some((part) => part !== undefined)) {
    add(undefined, 'N', [], nameParts.map((part) => escapeText(part ?? '')).join(';'));
  }
  if (name.phoneticGiven) add(undefined, 'X-PHONETIC-FIRST-NAME', [], esc(name.phoneticGiven));
  if (name.phoneticMiddle) add(undefined, 'X-PHONETIC-MIDDLE-NAME', [], esc(name.phoneticMiddle));
  if (name.phoneticFamily) add(undefined, 'X-PHONETIC-LAST-NAME', [], esc(name.phoneticFamily));
  if (contact.nicknames.length) add(undefined, 'NICKNAME', [], contact.nicknames.map(esc).join(','));
  if (contact.fileAs) add(undefined, 'X-FILE-AS', [], esc(contact.fileAs));
  if (contact.gender) {
    if (version === '4.0') add(undefined, 'GENDER', [], genderValue(contact.gender));
    else add(undefined, 'X-GENDER', [], esc(contact.gender));
  }

  if (contact.birthday) {
    const { birthday } = contact;
    if (version === '4.0') {
      const date = formatDate4(birthday);
      if (date) add(undefined, 'BDAY', [], date);
      else if (birthday.text) add(undefined, 'BDAY', [['VALUE', ['text']]], esc(birthday.text));
    } else {
      const date = formatDate3(birthday, true);
      if (date) add(undefined, 'BDAY', date.params, date.value);
      else if (birthday.text && !hasDate(birthday)) add(undefined, 'X-BIRTHDAY-TEXT', [], esc(birthday.text));
    }
  }
  let anniversaryWritten = false;
  for (const event of contact.events) {
    const plainAnniversary = event.type === 'anniversary' && !event.label && hasDate(event.date);
    if (plainAnniversary && !anniversaryWritten) {
      anniversaryWritten = true;
      if (version === '4.0') {
        add(undefined, 'ANNIVERSARY', [], formatDate4(event.date) ?? '');
      } else {
        const date = formatDate3(event.date, false);
        if (date) add(undefined, 'X-ANNIVERSARY', date.params, date.value);
      }
      continue;
    }
    writeEvent(event);
  }

  for (const email of contact.emails) {
    writeTyped('EMAIL', 'email', email, esc(email.value), version === '3.0' ? ['INTERNET'] : []);
  }
  for (const phone of contact.phones) {
    // Commas in a number are dial pauses; escaped, because vobject and ical.js read TEL as text.
    writeTyped('TEL', 'phone', phone, esc(phone.value), []);
  }
  for (const address of contact.addresses) writeAddress(address);

  const groupOrgs = contact.organizations.length > 1;
  for (const org of contact.organizations) {
    const group = groupOrgs ? nextGroup() : undefined;
    if (org.name !== undefined || org.department !== undefined) {
      add(
        group,
        'ORG',
        [],
        [org.name ?? '', ...(org.department ? [org.department] : [])]
          .map((part) => escapeText(part))
          .join(';'),
      );
    }
    if (org.title) add(group, 'TITLE', [], esc(org.title));
    if (org.profession) add(group, 'ROLE', [], esc(org.profession));
  }

  for (const url of contact.urls) writeTyped('URL', 'url', url, url.value, []);
  for (const im of contact.imAddresses) {
    const scheme = imScheme(im.type);
    const recovered = scheme === 'x-apple' ? undefined : (protocolOfScheme(scheme) ?? scheme);
    const params: Param[] = [];
    if (im.type && recovered !== im.type.toLowerCase()) params.push(['X-SERVICE-TYPE', [im.type]]);
    params.push(...pref(im.primary));
    const group = im.label ? nextGroup() : undefined;
    add(group, 'IMPP', params, `${scheme}:${im.value}`);
    if (group && im.label) addLabel(group, im.label);
  }
  for (const sip of contact.sipAddresses) {
    const handle = sip.value.replace(/^sips?:/i, '');
    if (version === '4.0') writeTyped('IMPP', 'sip', sip, `sip:${handle}`, []);
    else writeTyped('X-SIP', 'sip', sip, esc(handle), []);
  }
  for (const relation of contact.relations) writeRelation(relation);
  const categories = (options.categories ?? []).filter((category) => category.trim());
  if (categories.length) add(undefined, 'CATEGORIES', [], categories.map(esc).join(','));
  if (contact.notes !== undefined && contact.notes !== '') add(undefined, 'NOTE', [], esc(contact.notes));
  for (const field of contact.customFields) {
    if (/^X-[A-Za-z0-9-]+$/i.test(field.key) && !reservedNames.has(field.key.toUpperCase())) {
      add(undefined, field.key, [], esc(field.value));
    } else {
      const group = nextGroup();
      add(group, 'X-CUSTOM-FIELD', [], esc(field.value));
      addLabel(group, field.key);
    }
  }
  if (options.photo && options.photo.bytes.length > 0) {
    const base64 = Buffer.from(options.photo.bytes).toString('base64');
    if (version === '4.0') add(undefined, 'PHOTO', [], `data:${options.photo.mediaType};base64,${base64}`);
    else
      add(
        undefined,
        'PHOTO',
        [
          ['ENCODING', ['b']],
          ['TYPE', [tokenOfMediaType(options.photo.mediaType)]],
        ],
        base64,
      );
  }
  lines.push('END:VCARD');
  return lines.map(foldLine).join('');

  function writeTyped(
    propertyName: string,
    property: TypedProperty,
    item: TypedValue,
    value: string,
    extraTypes: readonly string[],
  ): void {
    if (!item.value) return;
    const tokens = typeTokensFor(property, item.type, version);
    const lost = item.type !== undefined && !kindIsWritable(item.type);
    const label = item.label ?? (lost ? item.type : undefined);
    const types = [...extraTypes, ...tokens, ...(item.primary && version === '3.0' ? ['pref'] : [])];
    const params: Param[] = [['TYPE', types]];
    if (item.primary && version === '4.0') params.push(['PREF', ['1']]);
    const group = label ? nextGroup() : undefined;
    add(group, propertyName, params, value);
    if (group && label) addLabel(group, label);
  }

  function writeAddress(address: PostalAddress): void {
    const parts = [
      address.poBox,
      address.extended,
      address.street,
      address.city,
      address.region,
      address.postalCode,
      address.country,
    ].map((part) => escapeText(part ?? ''));
    const tokens = typeTokensFor('address', address.type, version);
    const lost = address.type !== undefined && !kindIsWritable(address.type);
    const label = address.label ?? (lost ? address.type : undefined);
    const params: Param[] = [
      ['TYPE', [...tokens, ...(address.primary && version === '3.0' ? ['pref'] : [])]],
    ];
    if (address.primary && version === '4.0') params.push(['PREF', ['1']]);
    if (address.formatted && version === '4.0') params.push(['LABEL', [address.formatted]]);
    const needsGroup = label || address.countryCode || (address.formatted && version === '3.0');
    const group = needsGroup ? nextGroup() : undefined;
    add(group, 'ADR', params, parts.join(';'));
    if (group && address.formatted && version === '3.0') {
      add(group, 'LABEL', [['TYPE', tokens]], esc(address.formatted));
    }
    if (group && address.countryCode) add(group, 'X-ABADR', [], esc(address.countryCode));
    if (group && label) addLabel(group, label);
  }

  function writeEvent(event: ContactEvent): void {
    const group = nextGroup();
    const params: Param[] = [];
    let value: string;
    if (hasDate(event.date)) {
      if (version === '4.0') {
        value = formatDate4(event.date) ?? '';
      } else {
        const date = formatDate3(event.date, false);
        params.push(...(date?.params ?? []));
        value = date?.value ?? '';
      }
    } else {
      params.push(['VALUE', ['text']]);
      value = esc(event.date.text ?? '');
    }
    let label: string;
    if (event.label) {
      label = event.label;
      params.push(['TYPE', [event.type]]);
    } else if (event.type === 'anniversary' || event.type === 'other') {
      label = `_$!<${event.type === 'anniversary' ? 'Anniversary' : 'Other'}>!$_`;
    } else {
      label = event.type;
    }
    add(group, 'X-ABDATE', params, value);
    addLabel(group, label);
  }

  function writeRelation(relation: Relation): void {
    const appleWord = appleRelationLabels[relation.type];
    const label = appleWord ? `_$!<${appleWord}>!$_` : relation.type;
    if (version === '4.0') {
      if (rfcRelatedTypes.has(relation.type)) {
        add(
          undefined,
          'RELATED',
          [
            ['TYPE', [relation.type]],
            ['VALUE', ['text']],
          ],
          esc(relation.name),
        );
        return;
      }
      const group = nextGroup();
      add(group, 'RELATED', [['VALUE', ['text']]], esc(relation.name));
      addLabel(group, label);
      return;
    }
    const group = nextGroup();
    add(group, 'X-ABRELATEDNAMES', [], esc(relation.name));
    addLabel(group, label);
  }
}

/**
 * Fields of `contact` a vCard of this version cannot carry, named for the cross-provider report
 * (ContactWriter.unsupportedFields).
 */
export function vcardUnsupportedFields(contact: Contact, version: VcardVersion): string[] {
  const missing: string[] = [];
  contact.organizations.forEach((org, index) => {
    if (org.location) missing.push(`organizations[${index}].location`);
    if (org.primary) missing.push(`organizations[${index}].primary`);
  });
  const { birthday } = contact;
  if (birthday) {
    if (birthday.text && hasDate(birthday)) missing.push('birthday.text');
    if (version === '3.0' && hasDate(birthday) && !formatDate3(birthday, true)) missing.push('birthday');
  }
  contact.events.forEach((event, index) => {
    if (event.date.text && hasDate(event.date)) missing.push(`events[${index}].date.text`);
  });
  const lists: [string, readonly TypedValue[]][] = [
    ['emails', contact.emails],
    ['phones', contact.phones],
    ['urls', contact.urls],
    ['sipAddresses', contact.sipAddresses],
  ];
  for (const [field, list] of lists) {
    list.forEach((item, index) => {
      if (item.type && !kindIsWritable(item.type) && item.label) missing.push(`${field}[${index}].type`);
    });
  }
  for (const key of Object.keys(contact.extra)) missing.push(`extra.${key}`);
  return missing;
}

function hasDate(date: PartialDate): boolean {
  return date.year !== undefined || date.month !== undefined || date.day !== undefined;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** RFC 6350 4.3.1 date forms (basic format; `YYYY-MM` is the one extended form allowed). */
function formatDate4(date: PartialDate): string | undefined {
  const { year, month, day } = date;
  if (year !== undefined && month !== undefined && day !== undefined)
    return `${pad(year, 4)}${pad(month)}${pad(day)}`;
  if (year !== undefined && month !== undefined) return `${pad(year, 4)}-${pad(month)}`;
  if (year !== undefined && day === undefined) return pad(year, 4);
  if (month !== undefined && day !== undefined) return `--${pad(month)}${pad(day)}`;
  if (month !== undefined) return `--${pad(month)}`;
  if (day !== undefined) return `---${pad(day)}`;
  return undefined;
}

/**
 * RFC 2426 dates (`YYYY-MM-DD`). A date without a year is the ISO 8601 truncated form `--MM-DD`
 * (what RFC 2426's ISO 8601 reference allows, what ical.js writes for vCard 3.0 and what vobject
 * and Apple read as a month and day); Apple's `1604-MM-DD;X-APPLE-OMIT-YEAR` is read as the year
 * 1604 by everyone else. In `strict` mode (BDAY) other partial dates cannot be written; in X-
 * properties they use 4.0 forms.
 */
function formatDate3(date: PartialDate, strict: boolean): { value: string; params: Param[] } | undefined {
  const { year, month, day } = date;
  if (month !== undefined && day !== undefined) {
    if (year !== undefined) return { value: `${pad(year, 4)}-${pad(month)}-${pad(day)}`, params: [] };
    return { value: `--${pad(month)}-${pad(day)}`, params: [] };
  }
  if (strict) return undefined;
  const value = formatDate4(date);
  return value ? { value, params: [] } : undefined;
}

function genderValue(gender: string): string {
  const letters: Record<string, string> = { male: 'M', female: 'F', other: 'O', none: 'N', unknown: 'U' };
  return letters[gender] ?? `;${escapeText(gender)}`;
}
