/**
 * Reads vCard 2.1, 3.0 (RFC 2426) and 4.0 (RFC 6350) text into our Contact model.
 *
 * Notes on the format (kept here instead of a docs page):
 * - One file may hold many cards. A broken card is reported in `errors` with its line number and
 *   skipped; the other cards are still returned, so one bad card never loses a file.
 * - 2.1 (Outlook, old phones): bare parameters (`TEL;HOME;VOICE`), QUOTED-PRINTABLE values with soft
 *   line breaks, CHARSET (e.g. windows-1252) and `ENCODING=BASE64` photos.
 * - Apple/Google grouping: `item1.EMAIL` + `item1.X-ABLabel:Label` gives the email a label; Apple's
 *   built-in labels look like `_$!<HomePage>!$_` and map to our kinds. `item1.X-ABADR:us` is the
 *   address country code.
 * - Birthdays without a year: `--MMDD` / `--MM-DD` (4.0, Google 3.0) and Apple's 3.0 convention
 *   `BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-05` (the year 1604 alone means the same).
 * - Events: ANNIVERSARY (4.0), X-ANNIVERSARY (3.0), Apple's `X-ABDATE` with a label. Relations:
 *   RELATED (4.0) and Apple's `X-ABRELATEDNAMES`; a label carries the relation type.
 * - IM: IMPP URIs (`skype:name`, X-SERVICE-TYPE names the service) and the older X-AIM, X-JABBER...;
 *   SIP: `IMPP:sip:` and X-SIP.
 * - ORG `name;unit;unit`: the first unit is the department (further units are joined with ", ").
 *   ORG, TITLE and ROLE pair up by group, else by order; ROLE is the organization's profession.
 * - Any other X- property becomes a custom field keyed by its name; `X-CUSTOM-FIELD` with a label is
 *   keyed by the label. Known noise (X-ABUID, X-MS-OL-DESIGN, ...) is dropped.
 * - CATEGORIES come back as `categories`; the caller maps them to folders. UID comes back as `uid`.
 * - PHOTO comes back as bytes (`ENCODING=b` or a `data:` URI); photos by URL are not fetched.
 */
import { isUtf8 } from 'node:buffer';
import type {
  Contact,
  ContactEvent,
  Organization,
  PartialDate,
  PostalAddress,
  Relation,
  TypedValue,
} from './model';
import { emptyContact, ownCopy } from './model';
import type { PhotoBytes } from './model';
import {
  type ContentLine,
  type RawCard,
  VcardSyntaxError,
  decodeRawValue,
  paramValues,
  parseContentLine,
  splitCards,
  splitUnescaped,
  unescapeText,
} from './vcard-syntax';
import {
  type TypedProperty,
  appleLabelWord,
  kindOfAppleLabel,
  kindOfTokens,
  legacyImProperties,
  mediaTypeOfToken,
  protocolOfScheme,
} from './vcard-types';

/** One card read from a file. */
export interface ParsedVcard {
  readonly uid?: string;
  readonly contact: Contact;
  readonly photo?: PhotoBytes;
  /** CATEGORIES values in order, without duplicates. */
  readonly categories: string[];
  readonly version: '2.1' | '3.0' | '4.0';
  /** 1-based line of the card's BEGIN:VCARD. */
  readonly line: number;
  /** The card's unfolded lines joined with "\n"; providers hash it when the card has no UID. */
  readonly source: string;
}

/** A card (or stray text) that could not be read. */
export interface VcardError {
  readonly line: number;
  readonly message: string;
}

export interface VcardParseResult {
  readonly cards: ParsedVcard[];
  readonly errors: VcardError[];
}

/**
 * Decodes a .vcf file's bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, and windows-1252 for
 * old 8-bit files that are not valid UTF-8 (Outlook 2.1 exports without quoted-printable).
 */
export function decodeVcardBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Bytes decoded between two pauses in `decodeVcardChunks` (a few milliseconds each). */
const DECODE_PIECE = 2 * 2 ** 20;

/**
 * `decodeVcardBytes` a piece at a time, with `pause()` awaited between pieces: the text comes in
 * order and is never held whole (issue 20: a 220 MB file decoded at once was a 440 MB string; issue
 * 16 item 4: decoding 40,000 contacts in one piece held the API thread over 100 ms). The encoding
 * is chosen as `decodeVcardBytes` chooses it, by validating the UTF-8 first without decoding.
 */
export async function* decodeVcardChunks(
  bytes: Uint8Array,
  pause: () => Promise<void> | undefined,
): AsyncGenerator<string> {
  // Most files are one card: decoded in one go, without the two passes a big file takes.
  if (bytes.length <= DECODE_PIECE) {
    const text = decodeVcardBytes(bytes);
    if (text) yield text;
    return;
  }
  const pieces = async function* () {
    for (let from = 0; from < bytes.length; from += DECODE_PIECE)
      yield bytes.subarray(from, from + DECODE_PIECE);
  };
  yield* decodeVcardStream(pieces, pause);
}

/**
 * `decodeVcardChunks` over bytes read a piece at a time (a big file is never in memory whole):
 * `read` is called twice, once to check that the bytes are UTF-8 and once to decode them.
 */
export async function* decodeVcardStream(
  read: () => AsyncIterable<Uint8Array>,
  pause: () => Promise<void> | undefined,
): AsyncGenerator<string> {
  let head: Uint8Array | undefined;
  let utf8 = true;
  let carry: Uint8Array = new Uint8Array(0);
  for await (const chunk of read()) {
    head ??= chunk.subarray(0, 2);
    const joined = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const tail = incompleteTail(joined);
    if (!isUtf8(joined.subarray(0, joined.length - tail))) {
      utf8 = false;
      break;
    }
    carry = joined.slice(joined.length - tail);
    await pause();
  }
  if (carry.length) utf8 = false;
  let decoder: TextDecoder;
  let skip = 0;
  let bom = false;
  if (head?.[0] === 0xff && head[1] === 0xfe) [decoder, skip] = [new TextDecoder('utf-16le'), 2];
  else if (head?.[0] === 0xfe && head[1] === 0xff) [decoder, skip] = [new TextDecoder('utf-16be'), 2];
  else if (utf8) [decoder, bom] = [new TextDecoder('utf-8'), true];
  else decoder = new TextDecoder('windows-1252');
  for await (const chunk of read()) {
    const piece = skip ? chunk.subarray(skip) : chunk;
    skip = 0;
    let text = decoder.decode(piece, { stream: true });
    if (bom && text) [text, bom] = [text.replace(/^\uFEFF/, ''), false];
    if (text) yield text;
    await pause();
  }
  const rest = decoder.decode();
  if (rest) yield bom ? rest.replace(/^\uFEFF/, '') : rest;
}

/** How many bytes at the end begin a UTF-8 character that goes on past them (0 to 3). */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back]!;
    if (byte < 0x80) return 0;
    if (byte >= 0xc0) {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return length > back ? back : 0;
    }
  }
  return 0;
}

/** Reads every card in `text`. Bad cards go to `errors` (with line numbers); good ones are kept. */
export function parseVcards(text: string): VcardParseResult {
  return parseSplitCards(splitCards(text));
}

/**
 * Reads cards already split by `splitCards`: a reader that recognises unchanged cards by a hash of
 * their text (`ParsedVcard.source`) parses only the others.
 */
export function parseSplitCards({
  cards: rawCards,
  stray,
}: {
  readonly cards: readonly RawCard[];
  readonly stray: readonly { readonly line: number }[];
}): VcardParseResult {
  const cards: ParsedVcard[] = [];
  const errors: VcardError[] = [];
  let previousStray = -2;
  for (const entry of stray) {
    // One message per run of stray lines is enough to find them.
    if (entry.line !== previousStray + 1) {
      errors.push({
        line: entry.line,
        message: `Line ${entry.line} is outside any BEGIN:VCARD ... END:VCARD block.`,
      });
    }
    previousStray = entry.line;
  }
  for (const raw of rawCards) {
    if (raw.error) {
      errors.push({ line: raw.line, message: raw.error });
      continue;
    }
    try {
      cards.push(buildCard(raw.line, raw.lines));
    } catch (error) {
      if (error instanceof VcardSyntaxError) errors.push({ line: error.line, message: error.message });
      else throw error;
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { cards, errors };
}

/** Reads text that must hold exactly one good card; throws a plain-sentence error otherwise. */
export function parseVcard(text: string): ParsedVcard {
  const { cards, errors } = parseVcards(text);
  if (errors.length > 0) throw new VcardSyntaxError(errors[0].message, errors[0].line);
  if (cards.length !== 1) {
    throw new VcardSyntaxError(`Expected one vCard but found ${cards.length}.`, 1);
  }
  return cards[0];
}

/** X- properties that are app noise, not user data. */
const ignoredProperties = new Set([
  'X-ABUID',
  'X-ABSHOWAS',
  'X-ABLABEL',
  'X-ABADR',
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
  // Our own restore identity: the restore journal's bookkeeping, not the person's data.
  'X-CONTACTS-BACKUP-RESTORE-ID',
]);

const relationProperties: Record<string, string> = {
  'X-SPOUSE': 'spouse',
  'X-MS-SPOUSE': 'spouse',
  'X-EVOLUTION-SPOUSE': 'spouse',
  'X-KADDRESSBOOK-X-SPOUSENAME': 'spouse',
  'X-MANAGER': 'manager',
  'X-MS-MANAGER': 'manager',
  'X-EVOLUTION-MANAGER': 'manager',
  'X-KADDRESSBOOK-X-MANAGERSNAME': 'manager',
  'X-ASSISTANT': 'assistant',
  'X-MS-ASSISTANT': 'assistant',
  'X-EVOLUTION-ASSISTANT': 'assistant',
  'X-KADDRESSBOOK-X-ASSISTANTSNAME': 'assistant',
};

const anniversaryProperties = new Set([
  'X-ANNIVERSARY',
  'X-EVOLUTION-ANNIVERSARY',
  'X-KADDRESSBOOK-X-ANNIVERSARY',
  'X-MS-ANNIVERSARY',
]);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface AddressDraft {
  address: Mutable<PostalAddress>;
  group?: string;
  kind?: string;
}

interface OrgDraft {
  org: Mutable<Organization>;
}

function buildCard(startLine: number, rawLines: readonly { text: string; line: number }[]): ParsedVcard {
  const versionLine = rawLines.find((entry) => /^VERSION\s*:/i.test(entry.text));
  const versionText = versionLine?.text.split(':')[1]?.trim();
  const version: ParsedVcard['version'] =
    versionText === '2.1' ? '2.1' : versionText === '4.0' ? '4.0' : '3.0';
  const lines = rawLines.map((entry) => parseContentLine(entry.text, entry.line, version));

  const labels = new Map<string, string>();
  const countryCodes = new Map<string, string>();
  for (const line of lines) {
    if (!line.group) continue;
    if (line.name === 'X-ABLABEL') {
      const label = textValue(line).trim();
      if (label) labels.set(line.group.toLowerCase(), label);
    } else if (line.name === 'X-ABADR') {
      const code = textValue(line).trim();
      if (code) countryCodes.set(line.group.toLowerCase(), code);
    }
  }
  const labelOf = (line: ContentLine) => (line.group ? labels.get(line.group.toLowerCase()) : undefined);

  let displayName = '';
  let name: Mutable<Contact['name']> = {};
  const nicknames: string[] = [];
  let fileAs: string | undefined;
  const emails: TypedValue[] = [];
  const phones: TypedValue[] = [];
  const addresses: AddressDraft[] = [];
  const addressLabels: { line: ContentLine; text: string }[] = [];
  const urls: TypedValue[] = [];
  const orgs: OrgDraft[] = [];
  const orgByGroup = new Map<string, OrgDraft>();
  const ungroupedOrgSlots = { ORG: 0, TITLE: 0, ROLE: 0 };
  let birthday: PartialDate | undefined;
  const events: ContactEvent[] = [];
  const notes: string[] = [];
  const relations: Relation[] = [];
  const imAddresses: TypedValue[] = [];
  const sipAddresses: TypedValue[] = [];
  const customFields: { key: string; value: string }[] = [];
  const categories: string[] = [];
  let gender: string | undefined;
  let uid: string | undefined;
  let photo: PhotoBytes | undefined;

  const orgSlot = (line: ContentLine, field: 'ORG' | 'TITLE' | 'ROLE'): Mutable<Organization> => {
    if (line.group) {
      const key = line.group.toLowerCase();
      let draft = orgByGroup.get(key);
      if (!draft) {
        draft = { org: {} };
        orgByGroup.set(key, draft);
        orgs.push(draft);
      }
      return draft.org;
    }
    const index = ungroupedOrgSlots[field]++;
    const ungrouped = orgs.filter((draft) => ![...orgByGroup.values()].includes(draft));
    if (index < ungrouped.length) return ungrouped[index].org;
    const draft: OrgDraft = { org: {} };
    orgs.push(draft);
    return draft.org;
  };

  for (const line of lines) {
    const label = labelOf(line);
    switch (line.name) {
      case 'VERSION':
      case 'PRODID':
      case 'REV':
      case 'BEGIN':
      case 'END':
        break;
      case 'FN':
        displayName = textValue(line).trim();
        break;
      case 'N': {
        const [family, given, middle, prefix, suffix] = structuredValue(line);
        name = { ...name, ...defined({ family, given, middle, prefix, suffix }) };
        break;
      }
      case 'X-PHONETIC-FIRST-NAME':
        name.phoneticGiven = optional(textValue(line));
        break;
      case 'X-PHONETIC-MIDDLE-NAME':
        name.phoneticMiddle = optional(textValue(line));
        break;
      case 'X-PHONETIC-LAST-NAME':
        name.phoneticFamily = optional(textValue(line));
        break;
      case 'NICKNAME':
        nicknames.push(...listValue(line));
        break;
      case 'X-FILE-AS':
      case 'X-EVOLUTION-FILE-AS':
        fileAs = optional(textValue(line));
        break;
      case 'EMAIL':
        pushTyped(emails, line, 'email', textValue(line).trim(), label);
        break;
      case 'TEL': {
        const value = textValue(line).trim().replace(/^tel:/i, '');
        pushTyped(phones, line, 'phone', value, label);
        break;
      }
      case 'URL':
        pushTyped(urls, line, 'url', textValue(line).trim(), label);
        break;
      case 'X-SOCIALPROFILE': {
        const service = paramValues(line, 'TYPE')[0];
        const value = textValue(line).trim();
        if (value) urls.push(defined({ value, type: 'profile', label: service ?? label }));
        break;
      }
      case 'ADR': {
        const parts = structuredValue(line);
        const [poBox, extended, street, city, region, postalCode, country] = parts;
        const typed = typedFields(line, 'address', label);
        const formatted = paramValues(line, 'LABEL').join(',');
        const countryCode = line.group ? countryCodes.get(line.group.toLowerCase()) : undefined;
        addresses.push({
          address: defined({
            ...typed,
            street,
            extended,
            poBox,
            city,
            region,
            postalCode,
            country,
            countryCode,
            // RFC 6350's own LABEL example writes `\n` inside the parameter; RFC 6868 carets are decoded earlier.
            formatted: optional(formatted.replace(/\\n/gi, '\n').replace(/\r\n?/g, '\n')),
          }),
          group: line.group?.toLowerCase(),
          kind: typed.type,
        });
        break;
      }
      case 'LABEL': {
        const text = textValue(line);
        if (text.trim()) addressLabels.push({ line, text });
        break;
      }
      case 'ORG': {
        const [orgName, ...units] = structuredValue(line);
        const org = orgSlot(line, 'ORG');
        org.name = orgName;
        const department = units.filter((unit): unit is string => unit !== undefined).join(', ');
        org.department = optional(department);
        break;
      }
      case 'TITLE':
        orgSlot(line, 'TITLE').title = optional(textValue(line));
        break;
      case 'ROLE':
        orgSlot(line, 'ROLE').profession = optional(textValue(line));
        break;
      case 'BDAY':
        birthday = parsePartialDate(line, version) ?? birthday;
        break;
      case 'X-BIRTHDAY-TEXT': {
        const text = optional(textValue(line));
        if (text && !birthday) birthday = { text };
        break;
      }
      case 'ANNIVERSARY': {
        const date = parsePartialDate(line, version);
        if (date) events.push({ type: 'anniversary', date });
        break;
      }
      case 'X-ABDATE': {
        const date = parsePartialDate(line, version);
        if (date) events.push(eventOf(line, date, label));
        break;
      }
      case 'NOTE': {
        const text = textValue(line);
        if (text.trim()) notes.push(text);
        break;
      }
      case 'RELATED':
      case 'X-ABRELATEDNAMES': {
        const value = textValue(line).trim();
        if (value) relations.push({ name: value, type: relationType(line, label) });
        break;
      }
      case 'IMPP':
        pushIm(line, label, imAddresses, sipAddresses);
        break;
      case 'X-SIP': {
        const value = textValue(line)
          .trim()
          .replace(/^sips?:/i, '');
        pushTyped(sipAddresses, line, 'sip', value, label);
        break;
      }
      case 'CATEGORIES':
        for (const category of listValue(line)) {
          if (!categories.includes(category)) categories.push(ownCopy(category));
        }
        break;
      case 'GENDER': {
        const [sex, identity] = structuredValue(line);
        gender = identity ?? genderWord(sex);
        break;
      }
      case 'X-GENDER':
      case 'X-WAB-GENDER': {
        const text = textValue(line).trim();
        gender = text ? (genderWord(text) ?? text) : gender;
        break;
      }
      case 'UID':
        uid = optional(textValue(line).trim());
        break;
      case 'PHOTO':
        photo = photo ?? photoOf(line);
        break;
      case 'X-CUSTOM-FIELD': {
        const value = textValue(line);
        customFields.push({ key: label ?? line.rawName, value });
        break;
      }
      default:
        if (relationProperties[line.name]) {
          const value = textValue(line).trim();
          if (value) relations.push({ name: value, type: relationProperties[line.name] });
        } else if (anniversaryProperties.has(line.name)) {
          const date = parsePartialDate(line, version);
          if (date) events.push({ type: 'anniversary', date });
        } else if (legacyImProperties[line.name]) {
          const value = textValue(line).trim();
          if (value) imAddresses.push(defined({ value, type: legacyImProperties[line.name], label }));
        } else if (line.name.startsWith('X-') && !ignoredProperties.has(line.name)) {
          customFields.push({ key: line.rawName, value: textValue(line) });
        }
    }
  }

  attachAddressLabels(addresses, addressLabels);

  const contact: Contact = {
    ...emptyContact(displayName),
    name: defined(name),
    nicknames,
    ...(fileAs ? { fileAs } : {}),
    emails,
    phones,
    addresses: addresses.map((draft) => draft.address),
    urls,
    organizations: orgs.map((draft) => defined(draft.org)).filter((org) => Object.keys(org).length > 0),
    ...(birthday ? { birthday } : {}),
    events,
    ...(notes.length ? { notes: notes.join('\n') } : {}),
    relations,
    imAddresses,
    sipAddresses,
    customFields,
    ...(gender ? { gender } : {}),
  };
  return {
    // Copied: ids outlive the card (the source's maps, the history index), its text must not.
    ...(uid ? { uid: ownCopy(uid) } : {}),
    contact,
    ...(photo ? { photo } : {}),
    categories,
    version,
    line: startLine,
    source: rawLines.map((entry) => entry.text).join('\n'),
  };
}

/** The value as plain text: decoded, unescaped, newlines normalised to "\n". */
function textValue(line: ContentLine): string {
  return unescapeText(decodeRawValue(line)).replace(/\r\n?/g, '\n');
}

/** Components of a structured value (N, ADR, ORG, GENDER); empty components are undefined. */
function structuredValue(line: ContentLine): (string | undefined)[] {
  return splitUnescaped(decodeRawValue(line), ';').map((part) =>
    optional(unescapeText(part).replace(/\r\n?/g, '\n')),
  );
}

/** Values of a comma list (CATEGORIES, NICKNAME), trimmed, empty ones dropped. */
function listValue(line: ContentLine): string[] {
  return splitUnescaped(decodeRawValue(line), ',')
    .map((part) => unescapeText(part).trim())
    .filter((part) => part);
}

function optional(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Drops undefined members so absent fields stay absent (model.ts rule). */
function defined<T extends object>(value: T): T {
  // A loop rather than Object.fromEntries(entries().filter()): called several times per card, the
  // array-building form was 10 % of a 100,000-card read's CPU (issue 20 profile).
  const result: Record<string, unknown> = {};
  for (const key in value) {
    const member = value[key];
    if (member !== undefined) result[key] = member;
  }
  return result as T;
}

function isPrimary(line: ContentLine): boolean {
  if (paramValues(line, 'TYPE').some((token) => token.toLowerCase() === 'pref')) return true;
  return paramValues(line, 'PREF')[0] === '1';
}

/** type/label/primary of a typed property, from TYPE tokens and an X-ABLabel. */
function typedFields(
  line: ContentLine,
  property: TypedProperty,
  label: string | undefined,
): { type?: string; label?: string; primary?: boolean } {
  let type = kindOfTokens(property, paramValues(line, 'TYPE'));
  let custom: string | undefined;
  if (label) {
    const appleKind = kindOfAppleLabel(label);
    if (appleKind) type = appleKind;
    else custom = label;
  }
  return defined({ type, label: custom, primary: isPrimary(line) ? true : undefined });
}

function pushTyped(
  list: TypedValue[],
  line: ContentLine,
  property: TypedProperty,
  value: string,
  label: string | undefined,
): void {
  if (!value) return;
  list.push(defined({ value, ...typedFields(line, property, label) }));
}

function pushIm(line: ContentLine, label: string | undefined, ims: TypedValue[], sips: TypedValue[]): void {
  const raw = textValue(line).trim();
  if (!raw) return;
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/.exec(raw);
  const scheme = match?.[1].toLowerCase();
  const handle = match ? match[2] : raw;
  if (scheme === 'sip' || scheme === 'sips') {
    pushTyped(sips, line, 'sip', handle, label);
    return;
  }
  const service = paramValues(line, 'X-SERVICE-TYPE')[0]?.toLowerCase();
  const protocol =
    service ??
    (scheme ? (protocolOfScheme(scheme) ?? (scheme === 'x-apple' ? undefined : scheme)) : undefined);
  const customLabel = label && !kindOfAppleLabel(label) ? label : undefined;
  ims.push(
    defined({
      value: handle,
      type: protocol,
      label: customLabel,
      primary: isPrimary(line) ? true : undefined,
    }),
  );
}

function eventOf(line: ContentLine, date: PartialDate, label: string | undefined): ContactEvent {
  const typeParam = paramValues(line, 'TYPE').find((token) => token.toLowerCase() !== 'pref');
  if (label) {
    const word = appleLabelWord(label);
    if (word) return { type: word, date };
    return typeParam ? { type: typeParam, label, date } : { type: label, date };
  }
  return { type: typeParam ?? 'other', date };
}

function relationType(line: ContentLine, label: string | undefined): string {
  if (label) return appleLabelWord(label) ?? label;
  const token = paramValues(line, 'TYPE').find((value) => value.toLowerCase() !== 'pref');
  return token ? token.toLowerCase() : 'other';
}

const genderLetters: Record<string, string> = {
  m: 'male',
  f: 'female',
  o: 'other',
  n: 'none',
  u: 'unknown',
};

function genderWord(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const lower = value.trim().toLowerCase();
  if (genderLetters[lower]) return genderLetters[lower];
  return ['male', 'female', 'other', 'none', 'unknown', 'unspecified'].includes(lower) ? lower : undefined;
}

/**
 * A date with possibly no year. Accepts RFC 6350 basic forms (`19850412`, `--0412`, `1985-04`,
 * `1985`, `---12`), extended forms (`1985-04-12`, `--04-12`), a date-time (its date part) and
 * Apple's omitted year. Anything else is kept as free text.
 */
function parsePartialDate(line: ContentLine, version: string): PartialDate | undefined {
  const raw = textValue(line).trim();
  if (!raw) return undefined;
  const valueType = paramValues(line, 'VALUE')[0]?.toLowerCase();
  if (valueType === 'text') return { text: raw };
  const datePart = raw.includes('T') && !raw.startsWith('T') ? raw.slice(0, raw.indexOf('T')) : raw;
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(datePart))) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^--(\d{2})-?(\d{2})$/.exec(datePart))) {
    [month, day] = [Number(match[1]), Number(match[2])];
  } else if ((match = /^(\d{4})-(\d{2})$/.exec(datePart))) {
    [year, month] = [Number(match[1]), Number(match[2])];
  } else if ((match = /^(\d{4})$/.exec(datePart))) {
    year = Number(match[1]);
  } else if ((match = /^---(\d{2})$/.exec(datePart))) {
    day = Number(match[1]);
  } else if ((match = /^--(\d{2})$/.exec(datePart))) {
    month = Number(match[1]);
  } else {
    return { text: raw };
  }
  if ((month !== undefined && (month < 1 || month > 12)) || (day !== undefined && (day < 1 || day > 31))) {
    return { text: raw };
  }
  const omitYear = paramValues(line, 'X-APPLE-OMIT-YEAR')[0];
  if (year !== undefined && (year === 1604 || (omitYear !== undefined && Number(omitYear) === year))) {
    year = undefined;
  }
  // vCard 2.1/3.0 writers without year support sometimes use year 0000.
  if (year === 0 && version !== '4.0') year = undefined;
  return defined({ year, month, day });
}

function photoOf(line: ContentLine): PhotoBytes | undefined {
  const value = line.value.trim();
  const encoding = paramValues(line, 'ENCODING')[0]?.toUpperCase();
  if (encoding === 'B' || encoding === 'BASE64') {
    const bytes = new Uint8Array(Buffer.from(value.replace(/\s+/g, ''), 'base64'));
    if (bytes.length === 0) return undefined;
    const token = paramValues(line, 'TYPE')[0] ?? paramValues(line, 'MEDIATYPE')[0];
    return { mediaType: mediaTypeOfToken(token, bytes), bytes };
  }
  const data = /^data:([^;,]*)(;[^,]*)?,(.*)$/is.exec(value);
  if (data) {
    const isBase64 = /;base64/i.test(data[2] ?? '');
    const payload = data[3].replace(/\s+/g, '');
    const bytes = isBase64
      ? new Uint8Array(Buffer.from(payload, 'base64'))
      : new TextEncoder().encode(decodeURIComponent(payload));
    if (bytes.length === 0) return undefined;
    return { mediaType: mediaTypeOfToken(data[1] || undefined, bytes), bytes };
  }
  return undefined;
}

/** Pairs 2.1/3.0 LABEL properties with their ADR: same group, else same kind, else a new address. */
function attachAddressLabels(addresses: AddressDraft[], labels: { line: ContentLine; text: string }[]): void {
  for (const { line, text } of labels) {
    const group = line.group?.toLowerCase();
    const kind = kindOfTokens('address', paramValues(line, 'TYPE'));
    const target =
      (group ? addresses.find((draft) => draft.group === group) : undefined) ??
      addresses.find((draft) => !draft.address.formatted && !draft.group && draft.kind === kind) ??
      addresses.find((draft) => !draft.address.formatted && !draft.group);
    if (target) {
      target.address.formatted = text;
    } else {
      addresses.push({ address: defined({ type: kind, formatted: text }), group, kind });
    }
  }
}
