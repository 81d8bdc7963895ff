/**
 * The saved search table (issue 16 item 4): every user's current list in list order, with the text
 * a search tests, in one sealed file next to the first screen. While the history of a large profile
 * is still being read after unlocking (seconds at 100,000 contacts), a search, a folder, a sort or
 * a page of the current list is answered from it through the same code as from the history
 * (list-views.ts), so both answers are the same.
 *
 * Like the first screen it names the catalog state it was computed from and is ignored for any
 * other; it is deleted before every change to the catalog and written again once things settle.
 * The body is JSON lines (a header, then chunks of rows) so reading parses one chunk per slice and
 * never holds the API thread for the whole file. Not deflated: inflating tens of megabytes in one
 * go would hold the thread too; the file is encrypted like every other.
 */
import { readFile, rm } from 'node:fs/promises';
import { timeSlicer } from '../time-slice';
import { VaultError, vaultIoError } from '../vault/errors';
import { openBytes, sealBytes, writeFileAtomic } from '../vault/sealed-file';
import type { Vault } from '../vault/vault';
import type { ContactSummary } from './contact-queries';
import type { Searchable } from './contact-search';
import type { SortedRows } from './list-views';
import type { Pause } from './sliced-sort';
import type { UserKey } from './types';

const FILE_NAME = 'search-table';
const VERSION = 1;
/** Rows per line: one line is parsed per slice (about 2 MB of JSON). */
const ROWS_PER_LINE = 4000;

/** One row: the summary's fields, then the search text and phone digits. */
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
  text: string,
  digits: string,
];

interface Header {
  readonly version: number;
  readonly fingerprint: string;
  /** Rows per user, in file order. */
  readonly users: Record<UserKey, number>;
}

interface Chunk {
  readonly userKey: UserKey;
  readonly rows: Row[];
}

/** The table read back: each user's rows, ready for list-views' `prepareRows` and `pageOf`. */
export interface SearchTable {
  readonly fingerprint: string;
  readonly users: ReadonlyMap<UserKey, SortedRows>;
}

function rowOf(summary: ContactSummary, searchable: Searchable): Row {
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
    searchable.text,
    searchable.digits,
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
 * Seals and writes every user's current rows (`searchables` must be filled), in slices. The table
 * only helps the app's next unlock; a failure here is the caller's to log, never a failed backup.
 */
export async function writeSearchTable(
  vault: Vault,
  fingerprint: string,
  users: ReadonlyMap<UserKey, SortedRows>,
  pause: Pause = timeSlicer(),
): Promise<void> {
  const header: Header = {
    version: VERSION,
    fingerprint,
    users: Object.fromEntries([...users].map(([userKey, rows]) => [userKey, rows.summaries.length])),
  };
  const parts: Buffer[] = [Buffer.from(JSON.stringify(header), 'utf8')];
  for (const [userKey, rows] of users) {
    const searchables = rows.searchables;
    if (!searchables) throw new Error('The search text of the rows is not built yet.');
    for (let from = 0; from < rows.summaries.length; from += ROWS_PER_LINE) {
      const chunk: Chunk = { userKey, rows: [] };
      const to = Math.min(rows.summaries.length, from + ROWS_PER_LINE);
      for (let at = from; at < to; at += 1) chunk.rows.push(rowOf(rows.summaries[at], searchables[at]));
      // JSON escapes every newline inside strings, so one chunk is one line.
      parts.push(Buffer.from(`\n${JSON.stringify(chunk)}`, 'utf8'));
      await pause();
    }
  }
  const sealed = sealBytes(vault.fileKey(), FILE_NAME, Buffer.concat(parts), { compress: false });
  await writeFileAtomic(vault.pathOf(FILE_NAME), sealed);
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
    file = await readFile(vault.pathOf(FILE_NAME));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw vaultIoError(error, FILE_NAME);
  }
  const body = openBytes(vault.fileKey(), FILE_NAME, file);
  await pause();
  let start = 0;
  const nextLine = (): string | undefined => {
    if (start >= body.length) return undefined;
    let end = body.indexOf(10, start);
    if (end < 0) end = body.length;
    const line = body.toString('utf8', start, end);
    start = end + 1;
    return line;
  };
  const header = parseLine<Header>(nextLine());
  if (header?.version !== VERSION || typeof header.users !== 'object') return undefined;
  if (header.fingerprint !== fingerprint) return undefined;
  const collected = new Map<UserKey, { summaries: ContactSummary[]; searchables: Searchable[] }>();
  for (const userKey of Object.keys(header.users)) collected.set(userKey, { summaries: [], searchables: [] });
  for (let line = nextLine(); line !== undefined; line = nextLine()) {
    const chunk = parseLine<Chunk>(line);
    const user = chunk && collected.get(chunk.userKey);
    if (!user || !Array.isArray(chunk.rows)) throw damaged('a part of it names no known user');
    for (const row of chunk.rows) {
      if (!Array.isArray(row) || row.length !== 12) throw damaged('a row has the wrong shape');
      user.summaries.push(summaryOf(chunk.userKey, row));
      user.searchables.push({ text: row[10], digits: row[11] });
    }
    await pause();
  }
  const users = new Map<UserKey, SortedRows>();
  for (const [userKey, { summaries, searchables }] of collected) {
    if (summaries.length !== header.users[userKey]) throw damaged('rows are missing');
    users.set(userKey, { summaries, searchables, views: new Map() });
  }
  return { fingerprint, users };
}

function parseLine<T>(line: string | undefined): T | undefined {
  if (line === undefined) return undefined;
  try {
    return JSON.parse(line) as T;
  } catch {
    throw damaged('it holds data that is not valid JSON');
  }
}

function damaged(why: string): VaultError {
  return new VaultError('tampered', `The saved search table is damaged: ${why}.`);
}

/** Deleted before the catalog changes, so the table never outlives the data it describes. */
export async function removeSearchTable(vault: Vault): Promise<void> {
  await rm(vault.pathOf(FILE_NAME), { force: true });
}
