/**
 * The bytes of a segment file (before sealing). Version 2 holds three parts, each JSON deflated on
 * its own, so a reader inflates only the part it needs: the segment with each put's summary (ids,
 * hash, photo, folders, the list's brief); the puts' search text; the puts' contacts, both in the
 * order of the puts. Reading the history after unlocking inflates and parses only the first part;
 * the search table is made from the second without parsing a contact; a contact is parsed when
 * asked for (segment-contacts.ts). Layout: `CBSG`, the byte 2, the search text's version (one
 * byte), the number of puts and the three part lengths (uint32, little-endian), the parts. The file itself is sealed without deflate. Version 1 (one JSON object,
 * contacts inside the puts, the file deflated) is still read; new segments are always version 2.
 */
import { promisify } from 'node:util';
import { deflateRaw, inflateRaw, inflateRawSync } from 'node:zlib';
import type { Contact } from '../contacts/model';
import { VaultError } from '../vault/errors';
import { searchableNow, type Searchable } from './contact-search';
import { briefOf, type AppliedSegment, type PutSummary, type SegmentFile } from './types';

const MAGIC = Buffer.from('CBSG', 'latin1');
const VERSION_AT = MAGIC.length;
const SEARCH_TEXT_AT = VERSION_AT + 1;
const COUNT_AT = SEARCH_TEXT_AT + 1;
const LENGTHS_AT = COUNT_AT + 4;
const HEADER_BYTES = LENGTHS_AT + 3 * 4;

/** A segment file's logical name (sealed-file.ts binds it to the file's contents). */
export function segmentName(segmentId: string): string {
  return `segments/${segmentId}`;
}

/** The segment id a logical name belongs to; undefined for a file that is not a segment. */
export function segmentIdOf(name: string): string | undefined {
  return name.startsWith('segments/') ? name.slice('segments/'.length) : undefined;
}
/**
 * The version of the stored search text (contact-search.ts `searchableNow`): raised when what a
 * search matches changes, so older text is made again from the contacts instead of used.
 */
const SEARCH_TEXT = 1;

const deflateLater = promisify(deflateRaw);
const inflateLater = promisify(inflateRaw);

/** The parts of version 2, in file order. */
const PART = { summary: 0, texts: 1, contacts: 2 } as const;
type Part = (typeof PART)[keyof typeof PART];

/** The first part of version 2. */
interface SummaryPart extends Omit<AppliedSegment, 'version' | 'puts'> {
  readonly version: 2;
  readonly puts: readonly PutSummary[];
}

function parse<T>(text: string, name: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new VaultError('tampered', `${name} holds data that is not valid JSON.`);
  }
}

/** What a put keeps besides its contact (the first part of version 2). */
export function putSummary(put: SegmentFile['puts'][number]): PutSummary {
  const { contact, ...rest } = put;
  return { ...rest, photo: contact.photo, folderIds: contact.folderIds, brief: briefOf(contact) };
}

/** Puts turned into JSON between two looks at the caller's time slice. */
const ENCODE_STEP = 250;

/**
 * JSON of an array, `ENCODE_STEP` items at a time with `pause()` awaited between them: one
 * segment's search text and contacts in one go held the thread for about 100 ms.
 */
async function jsonArray<T>(
  items: readonly T[],
  itemJson: (item: T) => string,
  pause: () => Promise<void> | undefined,
): Promise<Buffer> {
  const pieces: string[] = [];
  for (let from = 0; from < items.length; from += ENCODE_STEP) {
    pieces.push(
      items
        .slice(from, from + ENCODE_STEP)
        .map(itemJson)
        .join(','),
    );
    await pause();
  }
  return Buffer.from(`[${pieces.join(',')}]`, 'utf8');
}

/**
 * The plaintext of a segment in version 2, made in slices (`pause`); its parts are deflated on the
 * thread pool at once.
 */
export async function encodeSegment(
  segment: SegmentFile,
  summaries: readonly PutSummary[] = segment.puts.map(putSummary),
  pause: () => Promise<void> | undefined = () => undefined,
): Promise<Buffer> {
  const { version: _version, puts, ...rest } = segment;
  const summary: SummaryPart = { ...rest, version: 2, puts: summaries };
  const textJson = (put: SegmentFile['puts'][number]) => {
    const { text, digits } = searchableNow(put.contact);
    return JSON.stringify([text, digits]);
  };
  const plain = [
    Buffer.from(JSON.stringify(summary), 'utf8'),
    await jsonArray(puts, textJson, pause),
    await jsonArray(puts, (put) => JSON.stringify(put.contact), pause),
  ];
  // Level 1, as for every sealed file (sealed-file.ts): most of the size for a fraction of the time.
  const parts = await Promise.all(plain.map((bytes) => deflateLater(bytes, { level: 1 })));
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header);
  header[VERSION_AT] = 2;
  header[SEARCH_TEXT_AT] = SEARCH_TEXT;
  header.writeUInt32LE(puts.length, COUNT_AT);
  parts.forEach((part, index) => header.writeUInt32LE(part.length, LENGTHS_AT + index * 4));
  return Buffer.concat([header, ...parts]);
}

/** Version 1 is one JSON object (its first byte `{`); version 2 starts with `CBSG`. */
function isVersion2(plain: Buffer): boolean {
  return plain.length >= HEADER_BYTES && plain.subarray(0, MAGIC.length).equals(MAGIC);
}

/** One deflated part of version 2, checked to lie inside the file. */
function partBytes(plain: Buffer, part: Part, segmentId: string): Buffer {
  if (plain[VERSION_AT] !== 2) {
    throw new VaultError(
      'unsupported-version',
      `Backup data file ${segmentId} was written by a newer version; update Contacts Backup.`,
    );
  }
  let start = HEADER_BYTES;
  for (let index = 0; index < part; index += 1) start += plain.readUInt32LE(LENGTHS_AT + index * 4);
  const end = start + plain.readUInt32LE(LENGTHS_AT + part * 4);
  if (end > plain.length) throw new VaultError('tampered', `Backup data file ${segmentId} is cut short.`);
  return plain.subarray(start, end);
}

function inflated(bytes: Buffer, name: string): string {
  try {
    return inflateRawSync(bytes).toString('utf8');
  } catch {
    throw new VaultError('tampered', `${name} failed its integrity check (changed, damaged or not ours).`);
  }
}

async function inflatedLater(bytes: Buffer, name: string): Promise<string> {
  try {
    return (await inflateLater(bytes)).toString('utf8');
  } catch {
    throw new VaultError('tampered', `${name} failed its integrity check (changed, damaged or not ours).`);
  }
}

function checked<T extends { readonly id?: unknown; readonly puts?: unknown }>(
  value: T,
  segmentId: string,
): T {
  if (value?.id !== segmentId || !Array.isArray(value.puts)) {
    throw new VaultError('tampered', `Backup data file ${segmentId} does not belong here.`);
  }
  return value;
}

/** Version 1's single object. */
function version1(plain: Buffer, name: string, segmentId: string): SegmentFile {
  const segment = checked(parse<SegmentFile>(plain.toString('utf8'), name), segmentId);
  if (segment.version !== 1)
    throw new VaultError('tampered', `Backup data file ${segmentId} does not belong here.`);
  return segment;
}

function summaryPart(plain: Buffer, name: string, segmentId: string): SummaryPart {
  const part = parse<SummaryPart>(inflated(partBytes(plain, PART.summary, segmentId), name), name);
  if (checked(part, segmentId).puts.length !== putCount(plain)) {
    throw new VaultError('tampered', `Backup data file ${segmentId} does not hold the contacts it lists.`);
  }
  return part;
}

/** The number of puts, from the header: the other parts are checked against it without part 1. */
function putCount(plain: Buffer): number {
  return plain.readUInt32LE(COUNT_AT);
}

/** The segment without its contacts: what the history index applies. */
export function decodeSegmentSummary(plain: Buffer, name: string, segmentId: string): AppliedSegment {
  if (!isVersion2(plain)) {
    const segment = version1(plain, name, segmentId);
    return { ...segment, puts: segment.puts.map(putSummary) };
  }
  return { ...summaryPart(plain, name, segmentId), version: 1 };
}

function contactsOf(text: string, name: string, segmentId: string, count: number): Contact[] {
  const contacts = parse<Contact[]>(text, name);
  if (!Array.isArray(contacts) || contacts.length !== count) {
    throw new VaultError('tampered', `Backup data file ${segmentId} does not hold the contacts it lists.`);
  }
  return contacts;
}

/** Only the contacts, in the order of the puts (a version's `slot`). */
export function decodeSegmentContacts(plain: Buffer, name: string, segmentId: string): readonly Contact[] {
  if (!isVersion2(plain)) return version1(plain, name, segmentId).puts.map((put) => put.contact);
  return contactsOf(
    inflated(partBytes(plain, PART.contacts, segmentId), name),
    name,
    segmentId,
    putCount(plain),
  );
}

/** `decodeSegmentContacts` with the inflating on the thread pool (reading ahead of a walk). */
export async function decodeSegmentContactsLater(
  plain: Buffer,
  name: string,
  segmentId: string,
): Promise<readonly Contact[]> {
  if (!isVersion2(plain)) return decodeSegmentContacts(plain, name, segmentId);
  const text = await inflatedLater(partBytes(plain, PART.contacts, segmentId), name);
  return contactsOf(text, name, segmentId, putCount(plain));
}

function textsOf(text: string, count: number, name: string, segmentId: string): readonly Searchable[] {
  const texts = parse<[string, string][]>(text, name);
  if (!Array.isArray(texts) || texts.length !== count) {
    throw new VaultError('tampered', `Backup data file ${segmentId} does not hold the contacts it lists.`);
  }
  return texts.map(([text, digits]) => ({ text, digits }));
}

/** The stored search text, in the order of the puts; undefined when there is none of this version. */
export function decodeSegmentTexts(
  plain: Buffer,
  name: string,
  segmentId: string,
): readonly Searchable[] | undefined {
  if (!isVersion2(plain) || plain[SEARCH_TEXT_AT] !== SEARCH_TEXT) return undefined;
  return textsOf(inflated(partBytes(plain, PART.texts, segmentId), name), putCount(plain), name, segmentId);
}

/** `decodeSegmentTexts` with the inflating on the thread pool (reading ahead of a walk). */
export async function decodeSegmentTextsLater(
  plain: Buffer,
  name: string,
  segmentId: string,
): Promise<readonly Searchable[] | undefined> {
  if (!isVersion2(plain) || plain[SEARCH_TEXT_AT] !== SEARCH_TEXT) return undefined;
  const text = await inflatedLater(partBytes(plain, PART.texts, segmentId), name);
  return textsOf(text, putCount(plain), name, segmentId);
}

/** The whole segment, contacts inside their puts (deletion and retention rewrite segments so). */
export function decodeSegment(plain: Buffer, name: string, segmentId: string): SegmentFile {
  if (!isVersion2(plain)) return version1(plain, name, segmentId);
  const summary = summaryPart(plain, name, segmentId);
  const contacts = decodeSegmentContacts(plain, name, segmentId);
  return {
    ...summary,
    version: 1,
    puts: summary.puts.map(({ contactId, sourceId, hash, photoKey }, slot) => ({
      contactId,
      sourceId,
      hash,
      ...(photoKey === undefined ? {} : { photoKey }),
      contact: contacts[slot]!,
    })),
  };
}
