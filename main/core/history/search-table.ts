/**
 * The saved search table (issue 16 item 4): every user's current list in list order, with the text
 * a search tests, in one sealed file next to the first screen. While the history of a large profile
 * is still being read after unlocking (seconds at 100,000 contacts), a search, a folder, a sort or
 * a page of the current list is answered from it (table-rows.ts) with the answers the history gives.
 *
 * Like the first screen it names the catalog state it was computed from and is ignored for any
 * other; it is deleted before every change to the catalog and written again once things settle.
 *
 * The body is laid out so that opening it parses nothing per row (version 1 parsed every row as
 * JSON, 1.5 s before the first answer at 100,000 contacts): sections, then a small JSON header that
 * points to them and the header's length (written last, so each section is sealed and written as
 * it is made) — search text and phone digits as long strings in stretches of rows with each row's
 * start, the deleted flags, each folder's rows, the company and last-changed orders, and each row's
 * summary as its own JSON line, decoded only when a page shows it. Not deflated (inflating tens of
 * megabytes is one piece of work); sealed and opened in pieces so the thread is never held long.
 */
import { open, rm } from 'node:fs/promises';
import { endianness } from 'node:os';
import { timeSlicer } from '../time-slice';
import { VaultError, vaultIoError } from '../vault/errors';
import { openBytesSliced, writeSealedStream } from '../vault/sealed-file';
import type { Vault } from '../vault/vault';
import type { ContactSummary } from './contact-queries';
import { searchableRead, type Searchable } from './contact-search';
import { StoredWalk } from './segment-contacts';
import { columnComparator, type SortedRows } from './list-views';
import { sortSliced, type Pause } from './sliced-sort';
import { ROW_END, orderName, type TableRows, type TextColumn } from './table-rows';
import type { UserKey } from './types';

const FILE_NAME = 'search-table';
const VERSION = 4;
/** Rows per stretch of text: one stretch is searched (or decoded) between two pauses. */
const ROWS_PER_COLUMN = 4000;
/** The columns whose orders (both directions) are saved beside the name order. */
const SORTED_COLUMNS = ['company', 'updated'] as const;

/**
 * The stable descending order from the stable ascending one, without sorting again (at 100,000
 * rows a company sort is over a million collator comparisons): runs of equal rows in reverse, each
 * run in its own order (name order, as a stable sort keeps ties), and the rows `lastAlways` names
 * (no company, last in both directions) still last.
 */
export function descendingOf(
  ascending: readonly number[],
  compare: (a: number, b: number) => number,
  lastAlways: (at: number) => boolean,
): number[] {
  let end = ascending.length;
  while (end > 0 && lastAlways(ascending[end - 1]!)) end -= 1;
  const out: number[] = [];
  for (let runEnd = end; runEnd > 0;) {
    let runStart = runEnd - 1;
    while (runStart > 0 && compare(ascending[runStart - 1]!, ascending[runStart]!) === 0) runStart -= 1;
    for (let at = runStart; at < runEnd; at += 1) out.push(ascending[at]!);
    runEnd = runStart;
  }
  for (let at = end; at < ascending.length; at += 1) out.push(ascending[at]!);
  return out;
}

/** Where a section is: [byte offset after the header, byte length]. */
type Section = [offset: number, length: number];

interface ColumnHeader {
  /** The list rows whose text it holds, in its order (storage order when written from contacts). */
  readonly rows: Section;
  readonly starts: Section;
  readonly text: Section;
  /**
   * latin1 when every code unit is below 256, else utf16le: both give back the exact code units
   * (lone surrogates included, which UTF-8 would replace) and decode without a per-character pass.
   */
  readonly encoding: 'latin1' | 'utf16le';
}

interface UserHeader {
  readonly userKey: UserKey;
  readonly count: number;
  readonly summaries: Section;
  readonly summaryStarts: Section;
  readonly deleted: Section;
  readonly folders: [folderId: string, rows: Section][];
  readonly orders: [name: string, rows: Section][];
  readonly text: ColumnHeader[];
  readonly digits: ColumnHeader[];
}

interface Header {
  readonly version: number;
  readonly fingerprint: string;
  /** Integer arrays are written in the machine's byte order; another machine ignores the file. */
  readonly endianness: string;
  readonly users: UserHeader[];
}

/** One row's summary: its fields in a fixed order. */
type Row = [
  id: string,
  displayName: string,
  email: string | null,
  phone: string | null,
  organization: string | null,
  folderIds: string[],
  hasPhoto: 0 | 1,
  deleted: 0 | 1,
  versions: number,
  updatedAt: string,
];

/** The table read back: each user's rows, answered by table-rows.ts `tablePage`. */
export interface SearchTable {
  readonly fingerprint: string;
  readonly users: ReadonlyMap<UserKey, TableRows>;
}

function rowOf(summary: ContactSummary): Row {
  return [
    summary.id,
    summary.displayName,
    summary.email ?? null,
    summary.phone ?? null,
    summary.organization ?? null,
    [...summary.folderIds],
    summary.hasPhoto ? 1 : 0,
    summary.deleted ? 1 : 0,
    summary.versions,
    summary.updatedAt,
  ];
}

/** Exactly the shape `summarize` returns (same keys, undefined where it has none). */
function summaryOf(userKey: UserKey, row: Row): ContactSummary {
  return {
    id: row[0],
    userKey,
    displayName: row[1],
    email: row[2] ?? undefined,
    phone: row[3] ?? undefined,
    organization: row[4] ?? undefined,
    folderIds: row[5],
    hasPhoto: row[6] === 1,
    deleted: row[7] === 1,
    versions: row[8],
    updatedAt: row[9],
  };
}

/**
 * Lays out sections from the start of the body, each 4-byte aligned so integer arrays can be viewed
 * in place, and hands them to the sealed file at each `flush` (a user's lists, a stretch of text):
 * only what is made since the last flush is held, never the whole table.
 */
class SectionWriter {
  private pending: Buffer[] = [];
  private length = 0;

  constructor(private readonly write: (bytes: Uint8Array) => Promise<void>) {}

  add(bytes: ArrayBufferView): Section {
    const section: Section = [this.length, bytes.byteLength];
    this.pending.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.length += bytes.byteLength;
    const padding = (4 - (this.length % 4)) % 4;
    if (padding) {
      this.pending.push(Buffer.alloc(padding));
      this.length += padding;
    }
    return section;
  }

  integers(values: ArrayLike<number>): Section {
    return this.add(Uint32Array.from(values));
  }

  async flush(): Promise<void> {
    const parts = this.pending;
    this.pending = [];
    for (const part of parts) await this.write(part);
  }
}

/** One stretch of rows' texts as a column: which rows, each one's start, then the text. */
function textColumn(sections: SectionWriter, rows: Section, texts: readonly string[]): ColumnHeader {
  const starts = new Uint32Array(texts.length + 1);
  const pieces: string[] = [];
  let length = 0;
  texts.forEach((row, at) => {
    starts[at] = length;
    const text = row + ROW_END;
    pieces.push(text);
    length += text.length;
  });
  starts[texts.length] = length;
  const text = pieces.join('');
  const encoding = /[\u0100-\uffff]/.test(text) ? 'utf16le' : 'latin1';
  return { rows, starts: sections.add(starts), text: sections.add(Buffer.from(text, encoding)), encoding };
}

/**
 * The search text and phone digits of every row, a stretch of rows at a time. Rows that carry no
 * search text yet (the command line) are read from their contacts in storage order, so each
 * segment is read once and only one stretch's text is held (issue 20); the stretch says its rows.
 */
async function textColumns(
  sections: SectionWriter,
  rows: SortedRows,
  pause: Pause,
): Promise<{ text: ColumnHeader[]; digits: ColumnHeader[] }> {
  const { searchables, versions } = rows;
  const count = rows.summaries.length;
  const walk = searchables ? undefined : new StoredWalk(versions, 'texts');
  const text: ColumnHeader[] = [];
  const digits: ColumnHeader[] = [];
  for (let first = 0; first < count; first += ROWS_PER_COLUMN) {
    const end = Math.min(count, first + ROWS_PER_COLUMN);
    const stretch: Searchable[] = [];
    const members = new Uint32Array(end - first);
    for (let step = first; step < end; step += 1) {
      let at = step;
      if (walk) {
        await walk.ready(step);
        at = walk.order[step]!;
      }
      members[step - first] = at;
      stretch.push(searchables ? searchables[at]! : searchableRead(versions[at]!));
      if (step % 256 === 255) await pause();
    }
    const rowsSection = sections.add(members);
    text.push(
      textColumn(
        sections,
        rowsSection,
        stretch.map((row) => row.text),
      ),
    );
    digits.push(
      textColumn(
        sections,
        rowsSection,
        stretch.map((row) => row.digits),
      ),
    );
    await sections.flush();
    await pause();
  }
  return { text, digits };
}

async function userSections(
  sections: SectionWriter,
  userKey: UserKey,
  rows: SortedRows,
  pause: Pause,
): Promise<UserHeader> {
  const summaries = rows.summaries;
  const count = summaries.length;
  const summaryStarts = new Uint32Array(count + 1);
  const lines: Buffer[] = [];
  const folders = new Map<string, number[]>();
  const deleted = new Uint8Array(count);
  let length = 0;
  for (let at = 0; at < count; at += 1) {
    const summary = summaries[at];
    const line = Buffer.from(JSON.stringify(rowOf(summary)), 'utf8');
    summaryStarts[at] = length;
    lines.push(line);
    length += line.length;
    if (summary.deleted) deleted[at] = 1;
    for (const folderId of new Set(summary.folderIds)) {
      let members = folders.get(folderId);
      if (!members) folders.set(folderId, (members = []));
      members.push(at);
    }
    if (at % 256 === 0) await pause();
  }
  summaryStarts[count] = length;
  const orders: [string, Section][] = [];
  for (const sort of SORTED_COLUMNS) {
    const ascending = columnComparator(summaries, { sort, descending: false });
    const positions = Array.from({ length: count }, (_, at) => at);
    const sorted = await sortSliced(positions, ascending, pause);
    orders.push([orderName(sort, false), sections.integers(sorted)]);
    const lastAlways = sort === 'company' ? (at: number) => !summaries[at]!.organization : () => false;
    orders.push([orderName(sort, true), sections.integers(descendingOf(sorted, ascending, lastAlways))]);
  }
  const listed = {
    summaries: sections.add(Buffer.concat(lines)),
    summaryStarts: sections.add(summaryStarts),
    deleted: sections.add(deleted),
    folders: [...folders].map(([folderId, members]): [string, Section] => [
      folderId,
      sections.integers(members),
    ]),
  };
  await sections.flush();
  return { userKey, count, ...listed, orders, ...(await textColumns(sections, rows, pause)) };
}

/**
 * Seals and writes every user's current rows (their search text is used when filled, else made a
 * stretch at a time from their contacts), in slices. The table
 * only helps the app's next unlock; a failure here is the caller's to log, never a failed backup.
 */
export async function writeSearchTable(
  vault: Vault,
  fingerprint: string,
  users: ReadonlyMap<UserKey, SortedRows>,
  pause: Pause = timeSlicer(),
): Promise<void> {
  // Sections first, each written as it is made; the header (which says where they are) and its
  // length last (version 2 put the header first, so the whole table waited in memory for it).
  await writeSealedStream(vault.fileKey(), FILE_NAME, vault.pathOf(FILE_NAME), pause, async (write) => {
    const sections = new SectionWriter(write);
    const userHeaders: UserHeader[] = [];
    for (const [userKey, rows] of users) userHeaders.push(await userSections(sections, userKey, rows, pause));
    await sections.flush();
    const header: Header = { version: VERSION, fingerprint, endianness: endianness(), users: userHeaders };
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const headerLength = Buffer.alloc(4);
    headerLength.writeUInt32LE(headerBytes.length);
    await write(headerBytes);
    await write(headerLength);
  });
}

/**
 * The saved table if it was computed from exactly this catalog state; undefined when there is none
 * or it is outdated. Throws a VaultError when the file is damaged (the caller logs and goes on).
 */
export async function readSearchTable(
  vault: Vault,
  fingerprint: string,
  pause: Pause = timeSlicer(),
): Promise<SearchTable | undefined> {
  let file: Buffer;
  try {
    file = await readWhole(vault.pathOf(FILE_NAME));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw vaultIoError(error, FILE_NAME);
  }
  const body = await openBytesSliced(vault.fileKey(), FILE_NAME, file, pause);
  // Version 1 was JSON lines, version 2 had its header first: an older table is simply not used
  // (and written again later).
  if (body.toString('latin1', 0, 12) === '{"version":1') return undefined;
  if (body.toString('latin1', 4, 16) === '{"version":2') return undefined;
  if (body.length < 4) throw damaged('it is too short');
  const headerLength = body.readUInt32LE(body.length - 4);
  if (4 + headerLength > body.length) throw damaged('its header is cut off');
  const headerAt = body.length - 4 - headerLength;
  let header: Header;
  try {
    header = JSON.parse(body.toString('utf8', headerAt, body.length - 4)) as Header;
  } catch {
    throw damaged('its header is not JSON');
  }
  if (header?.version !== VERSION || header.endianness !== endianness()) return undefined;
  if (header.fingerprint !== fingerprint) return undefined;
  if (!Array.isArray(header.users)) throw damaged('it lists no users');
  const sections = body.subarray(0, headerAt);
  const users = new Map<UserKey, TableRows>();
  for (const user of header.users) users.set(user.userKey, tableRowsOf(sections, user));
  return { fingerprint, users };
}

/**
 * The whole file in one read: `readFile` reads in 512 KB steps, and at 50 MB those steps took
 * 300 ms on a busy machine before the first search could start.
 */
async function readWhole(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(buffer, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/** Views of one user's sections in the opened body; nothing is copied or parsed per row. */
function tableRowsOf(body: Buffer, user: UserHeader): TableRows {
  const bytes = ([offset, length]: Section): Buffer => {
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0) {
      throw damaged('a section is misplaced');
    }
    if (offset + length > body.length) throw damaged('a section is cut off');
    return body.subarray(offset, offset + length);
  };
  const integers = (section: Section, expected?: number): Uint32Array => {
    const view = bytes(section);
    if (view.length % 4 || (expected !== undefined && view.length !== expected * 4)) {
      throw damaged('a list of rows has the wrong length');
    }
    // Sections are 4-byte aligned in the body; a body that is not (never seen) is copied.
    const aligned = view.byteOffset % 4 === 0 ? view : Buffer.from(view);
    return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4);
  };
  const count = user.count;
  const columns = (headers: ColumnHeader[]): TextColumn[] => {
    // Every row once, in some column: a search must be able to find any row.
    const seen = new Uint8Array(count);
    let entries = 0;
    const built = headers.map((column): TextColumn => {
      const rows = integers(column.rows);
      const starts = integers(column.starts, rows.length + 1);
      for (const row of rows) {
        if (row >= count || seen[row]) throw damaged('its text lists a row twice or one it does not have');
        seen[row] = 1;
      }
      entries += rows.length;
      const source = bytes(column.text);
      let decoded: string | undefined;
      const text = (): string => {
        if (column.encoding !== 'latin1' && column.encoding !== 'utf16le')
          throw damaged('unknown text encoding');
        decoded ??= source.toString(column.encoding);
        if (starts[starts.length - 1] !== decoded.length) throw damaged('its text does not fit its rows');
        return decoded;
      };
      return { rows, starts, text };
    });
    if (entries !== count) throw damaged('rows are missing from its text');
    return built;
  };
  const text = columns(user.text);
  const digits = columns(user.digits);
  const summaries = bytes(user.summaries);
  const summaryStarts = integers(user.summaryStarts, count + 1);
  const deleted = bytes(user.deleted);
  if (deleted.length !== count) throw damaged('its deleted flags are missing');
  return {
    userKey: user.userKey,
    count,
    deleted,
    folders: new Map(user.folders.map(([folderId, section]) => [folderId, integers(section)])),
    orders: new Map(user.orders.map(([name, section]) => [name, integers(section, count)])),
    text,
    digits,
    summaryAt: (row) => {
      const line = summaries.toString('utf8', summaryStarts[row], summaryStarts[row + 1]);
      const parsed = JSON.parse(line) as Row;
      if (!Array.isArray(parsed) || parsed.length !== 10) throw damaged('a row has the wrong shape');
      return summaryOf(user.userKey, parsed);
    },
    views: new Map(),
  };
}

function damaged(why: string): VaultError {
  return new VaultError('tampered', `The saved search table is damaged: ${why}.`);
}

/** Deleted before the catalog changes, so the table never outlives the data it describes. */
export async function removeSearchTable(vault: Vault): Promise<void> {
  await rm(vault.pathOf(FILE_NAME), { force: true });
}
