/**
 * vCard export (product.md B7): many contacts into one .vcf, or one .vcf per contact in a folder, as
 * vCard 3.0 (widest support: older Outlook, Android, Apple) or 4.0 (RFC 6350, holds gender and
 * partial dates). Folder names become CATEGORIES so Apple, Google and Thunderbird show the groups.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { bestDisplayName, type Contact } from '../contacts/model';
import { writeVcard, type VcardVersion } from '../contacts/vcard-write';
import type { PhotoBytes } from '../contacts/model';

/** One contact to export. */
export interface VcfExportRow {
  readonly contact: Contact;
  /** Names of the folders it is in; written as CATEGORIES. */
  readonly folderNames: readonly string[];
  readonly photo?: PhotoBytes;
  /** Written as UID: the source UID, so re-importing the export (or a CardDAV server, or Apple) updates rather than duplicates. */
  readonly uid?: string;
}

function cardOf(row: VcfExportRow, version: VcardVersion): string {
  return writeVcard(row.contact, {
    version,
    categories: row.folderNames,
    ...(row.uid ? { uid: row.uid } : {}),
    ...(row.photo ? { photo: row.photo } : {}),
  });
}

/** The cards one after another, for streaming large exports without one big string. */
export function* vcfChunks(rows: Iterable<VcfExportRow>, version: VcardVersion): Generator<string> {
  for (const row of rows) yield cardOf(row, version);
}

/** All contacts as the text of one .vcf file (UTF-8, CRLF). */
export function contactsToVcf(rows: Iterable<VcfExportRow>, version: VcardVersion): string {
  return [...vcfChunks(rows, version)].join('');
}

/** Writes one .vcf holding every contact, streaming card by card; resolves with the card count. */
export async function writeVcfFile(
  rows: Iterable<VcfExportRow> | AsyncIterable<VcfExportRow>,
  path: string,
  version: VcardVersion,
  signal?: AbortSignal,
): Promise<number> {
  // 0600: a contact export is as private as the backup.
  const stream = createWriteStream(path, { encoding: 'utf8', mode: 0o600 });
  let count = 0;
  try {
    for await (const row of rows) {
      signal?.throwIfAborted();
      if (!stream.write(cardOf(row, version))) await once(stream, 'drain');
      count++;
    }
  } finally {
    stream.end();
    await once(stream, 'close');
  }
  return count;
}

/**
 * Writes one `<name>.vcf` per contact into `directory` (created if missing). Names come from the
 * contact's display name, made safe for every OS; clashes (also with files already in the folder)
 * get " (2)", " (3)"... Returns the file names in row order.
 */
export async function writeVcfFolder(
  rows: Iterable<VcfExportRow> | AsyncIterable<VcfExportRow>,
  directory: string,
  version: VcardVersion,
  signal?: AbortSignal,
): Promise<string[]> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  // Files already there are never overwritten: a new name is chosen instead.
  const used = new Set((await readdir(directory)).map((name) => name.toLowerCase()));
  const names: string[] = [];
  for await (const row of rows) {
    signal?.throwIfAborted();
    const name = uniqueFileName(safeFileStem(bestDisplayName(row.contact)), used);
    await writeFile(join(directory, name), cardOf(row, version), {
      encoding: 'utf8',
      flag: 'wx',
      mode: 0o600,
    });
    names.push(name);
  }
  return names;
}

/** A file name stem valid on Windows, macOS and Linux (no reserved characters or names, ≤ 100 chars). */
export function safeFileStem(name: string): string {
  let stem = [...name]
    .map((char) => (char.charCodeAt(0) < 32 || '<>:"/\\|?*'.includes(char) ? '_' : char))
    .join('')
    .trim()
    .replace(/[. ]+$/, '')
    .replace(/^\.+/, '');
  if (/^(con|prn|aux|nul|com\d|lpt\d)$/i.test(stem)) stem = `${stem}_`;
  stem = [...stem].slice(0, 100).join('');
  return stem || 'contact';
}

function uniqueFileName(stem: string, used: Set<string>): string {
  // Case-insensitive, because Windows and macOS file systems usually are.
  let candidate = `${stem}.vcf`;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n}).vcf`;
  used.add(candidate.toLowerCase());
  return candidate;
}

/** The cards as they are produced from sync or async rows, for streaming into a ZIP. */
export async function* vcfCardStream(
  rows: Iterable<VcfExportRow> | AsyncIterable<VcfExportRow>,
  version: VcardVersion,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  for await (const row of rows) {
    signal?.throwIfAborted();
    yield cardOf(row, version);
  }
}
