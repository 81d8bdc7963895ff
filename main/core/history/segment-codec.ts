/**
 * The bytes of a segment file (before sealing). Version 2 holds three parts, each JSON deflated on
 * its own, so a reader inflates only the part it needs: the segment with each put's summary (ids,
 * hash, photo, folders, the list's brief); the puts' search text; the puts' contacts, both in the
 * order of the puts. Reading the history after unlocking inflates and parses only the first part;
 * the search table is made from the second without parsing a contact; a contact is parsed when
 * asked for (segment-contacts.ts). Layout: `CBSG`, the byte 2, three uint32 (little-endian) part
 * lengths, the parts. The file itself is sealed without deflate. Version 1 (one JSON object,
 * contacts inside the puts, the file deflated) is still read; new segments are always version 2.
 */
import { promisify } from 'node:util';
import { deflateRaw, inflateRaw, inflateRawSync } from 'node:zlib';
import type { Contact } from '../contacts/model';
import { VaultError } from '../vault/errors';
import { searchableNow, type Searchable } from './contact-search';
import { briefOf, type AppliedSegment, type PutSummary, type SegmentFile } from './types';

const MAGIC = Buffer.from('CBSG', 'latin1');
const HEADER_BYTES = MAGIC.length + 1 + 3 * 4;
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
  /** `SEARCH_TEXT` of the search-text part. */
  readonly searchText: number;
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
  const summary: SummaryPart = { ...rest, version: 2, puts: summaries, searchText: SEARCH_TEXT };
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
  header[MAGIC.length] = 2;
  parts.forEach((part, index) => header.writeUInt32LE(part.length, MAGIC.length + 1 + index * 4));
  return Buffer.concat([header, ...parts]);
}

/** Version 1 is one JSON object (its first byte `{`); version 2 starts with `CBSG`. */
function isVersion2(plain: Buffer): boolean {
  return plain.length >= HEADER_BYTES && plain.subarray(0, MAGIC.length).equals(MAGIC);
}

/** One deflated part of version 2, checked to lie inside the file. */
function partBytes(plain: Buffer, part: Part, segmentId: string): Buffer {
  if (plain[MAGIC.length] !== 2) {
    throw new VaultError(
      'unsupported-version',
      `Backup data file ${segmentId} was written by a newer version; update Contacts Backup.`,
    );
  }
  let start = HEADER_BYTES;
  for (let index = 0; index < part; index += 1) start += plain.readUInt32LE(MAGIC.length + 1 + index * 4);
  const end = start + plain.readUInt32LE(MAGIC.length + 1 + part * 4);
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
  return checked(part, segmentId);
}

/** The segment without its contacts: what the history index applies. */
export function decodeSegmentSummary(plain: Buffer, name: string, segmentId: string): AppliedSegment {
  if (!isVersion2(plain)) {
    const segment = version1(plain, name, segmentId);
    return { ...segment, puts: segment.puts.map(putSummary) };
  }
  const { searchText: _searchText, ...summary } = summaryPart(plain, name, segmentId);
  return { ...summary, version: 1 };
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
  const count = summaryPart(plain, name, segmentId).puts.length;
  return contactsOf(inflated(partBytes(plain, PART.contacts, segmentId), name), name, segmentId, count);
}

/** `decodeSegmentContacts` with the inflating on the thread pool (reading ahead of a walk). */
export async function decodeSegmentContactsLater(
  plain: Buffer,
  name: string,
  segmentId: string,
): Promise<readonly Contact[]> {
  if (!isVersion2(plain)) return decodeSegmentContacts(plain, name, segmentId);
  const count = summaryPart(plain, name, segmentId).puts.length;
  const text = await inflatedLater(partBytes(plain, PART.contacts, segmentId), name);
  return contactsOf(text, name, segmentId, count);
}

function textsOf(
  text: string,
  summary: SummaryPart,
  name: string,
  segmentId: string,
): readonly Searchable[] | undefined {
  if (summary.searchText !== SEARCH_TEXT) return undefined;
  const texts = parse<[string, string][]>(text, name);
  if (!Array.isArray(texts) || texts.length !== summary.puts.length) {
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
  if (!isVersion2(plain)) return undefined;
  const summary = summaryPart(plain, name, segmentId);
  if (summary.searchText !== SEARCH_TEXT) return undefined;
  return textsOf(inflated(partBytes(plain, PART.texts, segmentId), name), summary, name, segmentId);
}

/** `decodeSegmentTexts` with the inflating on the thread pool (reading ahead of a walk). */
export async function decodeSegmentTextsLater(
  plain: Buffer,
  name: string,
  segmentId: string,
): Promise<readonly Searchable[] | undefined> {
  if (!isVersion2(plain)) return undefined;
  const summary = summaryPart(plain, name, segmentId);
  if (summary.searchText !== SEARCH_TEXT) return undefined;
  const text = await inflatedLater(partBytes(plain, PART.texts, segmentId), name);
  return textsOf(text, summary, name, segmentId);
}

/** The whole segment, contacts inside their puts (deletion and retention rewrite segments so). */
export function decodeSegment(plain: Buffer, name: string, segmentId: string): SegmentFile {
  if (!isVersion2(plain)) return version1(plain, name, segmentId);
  const { searchText: _searchText, ...summary } = summaryPart(plain, name, segmentId);
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
