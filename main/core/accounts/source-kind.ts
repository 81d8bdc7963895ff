/**
 * Checks that a file given as a source is what it claims to be before an account is made of it
 * (issue 16 item 5): a vCard starts with BEGIN:VCARD, a PST with the "!BDN" signature. A wrong file
 * gets a sentence naming what was found instead, rather than a backup of nothing.
 */
import { open, stat } from 'node:fs/promises';
import { ApiFailure } from '../contract/api-failure';

export type SourceKind = 'vcard' | 'pst';

const HEAD_BYTES = 4096;

/** What the first bytes of a file look like, for the sentence when it is not the wanted kind. */
export function sniffKind(head: Buffer): SourceKind | 'csv' | 'zip' | 'text' | 'binary' | 'empty' {
  if (head.length === 0) return 'empty';
  if (head.subarray(0, 4).toString('latin1') === '!BDN') return 'pst';
  if (head.subarray(0, 2).toString('latin1') === 'PK') return 'zip';
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  if (/^\s*BEGIN:VCARD\b/i.test(text)) return 'vcard';
  // Text has no NUL bytes; the first line of a CSV has separators.
  if (head.includes(0)) return 'binary';
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  return /[,;\t]/.test(firstLine) ? 'csv' : 'text';
}

const FOUND: Record<ReturnType<typeof sniffKind>, string> = {
  vcard: 'a vCard file',
  pst: 'an Outlook PST file',
  zip: 'a ZIP archive',
  csv: 'a CSV (spreadsheet) file',
  text: 'a text file that is not a vCard',
  binary: 'a file of another kind',
  empty: 'an empty file',
};

/**
 * Refuses a file that is not of the wanted kind, with a sentence; folders pass (a folder of vCards
 * is read card by card, and its files are checked as they are read).
 */
export async function assertSourceKind(path: string, wanted: SourceKind): Promise<void> {
  if ((await stat(path)).isDirectory()) {
    if (wanted === 'pst') throw new ApiFailure('wrong-kind', `${path} is a folder, not a PST file.`);
    return;
  }
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const found = sniffKind(head);
  // An empty .vcf is an empty address book (a restore target), not a wrong file.
  if (found === wanted || (found === 'empty' && wanted === 'vcard')) return;
  const expected = wanted === 'vcard' ? 'a vCard file (it starts with BEGIN:VCARD)' : 'an Outlook PST file';
  throw new ApiFailure('wrong-kind', `This is ${FOUND[found]}, not ${expected}. Choose ${expected}.`);
}
