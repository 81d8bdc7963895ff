/**
 * The bytes of a segment file (before sealing). Version 2 is three JSON texts on three lines:
 * first the segment with each put's summary (ids, hash, photo, folders, the list's brief), then
 * its contacts in the same order, then their search text. Reading the history after unlocking
 * parses only the first line; a contact is parsed when asked for (segment-contacts.ts), and the
 * search table is made from the third line without parsing any contact. Version 1 (one JSON
 * object, contacts inside the puts) is still read; new segments are always written as version 2.
 */
import type { Contact } from '../contacts/model';
import { VaultError } from '../vault/errors';
import { searchableNow, type Searchable } from './contact-search';
import { briefOf, type AppliedSegment, type PutSummary, type SegmentFile } from './types';

const NEWLINE = 0x0a;
/**
 * The version of the stored search text (contact-search.ts `searchableNow`): raised when what a
 * search matches changes, so older text is made again from the contacts instead of used.
 */
const SEARCH_TEXT = 1;

/** The first line of version 2. */
interface SummaryLine extends Omit<AppliedSegment, 'version' | 'puts'> {
  readonly version: 2;
  readonly puts: readonly PutSummary[];
  /** `SEARCH_TEXT` of the third line, when there is one. */
  readonly searchText?: number;
}

function notJson(name: string): VaultError {
  return new VaultError('tampered', `${name} holds data that is not valid JSON.`);
}

function parse<T>(text: string, name: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw notJson(name);
  }
}

/** What a put keeps besides its contact (the first line of version 2). */
export function putSummary(put: SegmentFile['puts'][number]): PutSummary {
  const { contact, ...rest } = put;
  return { ...rest, photo: contact.photo, folderIds: contact.folderIds, brief: briefOf(contact) };
}

/** The plaintext of a segment in version 2 (JSON never holds a raw newline, so the line splits it). */
export function encodeSegment(
  segment: SegmentFile,
  summaries: readonly PutSummary[] = segment.puts.map(putSummary),
): Buffer {
  const { version: _version, puts, ...rest } = segment;
  const summary: SummaryLine = { ...rest, version: 2, puts: summaries, searchText: SEARCH_TEXT };
  const texts = puts.map((put) => {
    const { text, digits } = searchableNow(put.contact);
    return [text, digits];
  });
  return Buffer.concat([
    Buffer.from(JSON.stringify(summary), 'utf8'),
    Buffer.from([NEWLINE]),
    Buffer.from(JSON.stringify(puts.map((put) => put.contact)), 'utf8'),
    Buffer.from([NEWLINE]),
    Buffer.from(JSON.stringify(texts), 'utf8'),
  ]);
}

/** The first line (version 2) or the whole object (version 1), checked to be this segment. */
function header(
  plain: Buffer,
  name: string,
  segmentId: string,
): { line: SummaryLine | SegmentFile; end: number } {
  const end = plain.indexOf(NEWLINE);
  const line = parse<SummaryLine | SegmentFile>(
    plain.toString('utf8', 0, end < 0 ? plain.length : end),
    name,
  );
  const known = (line?.version === 1 && end < 0) || (line?.version === 2 && end >= 0);
  if (!known || line.id !== segmentId || !Array.isArray(line.puts)) {
    throw new VaultError('tampered', `Backup data file ${segmentId} does not belong here.`);
  }
  return { line, end };
}

/** The segment without its contacts: what the history index applies. */
export function decodeSegmentSummary(plain: Buffer, name: string, segmentId: string): AppliedSegment {
  const { line } = header(plain, name, segmentId);
  if (line.version === 2) return { ...line, version: 1 };
  return { ...line, puts: line.puts.map(putSummary) };
}

/** Only the contacts, in the order of the puts (a version's `slot`). */
export function decodeSegmentContacts(plain: Buffer, name: string, segmentId: string): readonly Contact[] {
  const { line, end } = header(plain, name, segmentId);
  if (line.version === 1) return line.puts.map((put) => put.contact);
  const next = plain.indexOf(NEWLINE, end + 1);
  const contacts = parse<Contact[]>(plain.toString('utf8', end + 1, next < 0 ? plain.length : next), name);
  if (!Array.isArray(contacts) || contacts.length !== line.puts.length) {
    throw new VaultError('tampered', `Backup data file ${segmentId} does not hold the contacts it lists.`);
  }
  return contacts;
}

/** The stored search text, in the order of the puts; undefined when there is none of this version. */
export function decodeSegmentTexts(
  plain: Buffer,
  name: string,
  segmentId: string,
): readonly Searchable[] | undefined {
  const { line, end } = header(plain, name, segmentId);
  if (line.version === 1 || line.searchText !== SEARCH_TEXT) return undefined;
  const start = plain.indexOf(NEWLINE, end + 1);
  if (start < 0) return undefined;
  const texts = parse<[string, string][]>(plain.toString('utf8', start + 1), name);
  if (!Array.isArray(texts) || texts.length !== line.puts.length) {
    throw new VaultError('tampered', `Backup data file ${segmentId} does not hold the contacts it lists.`);
  }
  return texts.map(([text, digits]) => ({ text, digits }));
}

/** The whole segment, contacts inside their puts (deletion and retention rewrite segments so). */
export function decodeSegment(plain: Buffer, name: string, segmentId: string): SegmentFile {
  const { line } = header(plain, name, segmentId);
  if (line.version === 1) return line;
  const contacts = decodeSegmentContacts(plain, name, segmentId);
  const { searchText: _searchText, ...kept } = line;
  return {
    ...kept,
    version: 1,
    puts: line.puts.map(({ contactId, sourceId, hash, photoKey }, slot) => ({
      contactId,
      sourceId,
      hash,
      ...(photoKey === undefined ? {} : { photoKey }),
      contact: contacts[slot]!,
    })),
  };
}
