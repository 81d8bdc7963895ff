/** Contacts and folders used by the PST tests, plus helpers that run the external readers. */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { emptyContact, type Contact } from '../../../main/core/contacts/model';
import type { PstContactInput, PstFolderInput } from '../../../main/core/export/pst';

const run = promisify(execFile);

export const folders: PstFolderInput[] = [
  { id: 'friends', name: 'Friends' },
  { id: 'work', name: 'Work' },
  { id: 'team', name: 'Team Ω', parentId: 'work' },
  { id: 'deep', name: 'Deep', parentId: 'team' },
  { id: 'empty', name: 'Empty folder' },
];

/** A small PNG-like byte string of a given size (readers do not decode images). */
export function photoBytes(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let index = 0; index < size; index++) bytes[index] = (index * 31 + seed * 7) & 0xff;
  bytes.set([0x89, 0x50, 0x4e, 0x47], 0);
  return bytes;
}

/** A contact using every field PST holds. */
export function fullContact(): Contact {
  return {
    ...emptyContact('Dr. Ada M. Lovelace Jr.'),
    name: { given: 'Ada', family: 'Lovelace', middle: 'Maria', prefix: 'Dr.', suffix: 'Jr.' },
    nicknames: ['Countess'],
    fileAs: 'Lovelace, Ada (Countess)',
    emails: [{ value: 'ada@example.org' }, { value: 'ada.work@example.com' }, { value: 'ada3@example.net' }],
    phones: [
      { value: '+44 20 0000 0001', type: 'mobile' },
      { value: '+44 20 0000 0002', type: 'home' },
      { value: '+44 20 0000 0003', type: 'home' },
      { value: '+44 20 0000 0004', type: 'work' },
      { value: '+44 20 0000 0005', type: 'work' },
      { value: '+44 20 0000 0006', type: 'main' },
      { value: '+44 20 0000 0007', type: 'home-fax' },
      { value: '+44 20 0000 0008', type: 'work-fax' },
      { value: '+44 20 0000 0009', type: 'other-fax' },
      { value: '+44 20 0000 0010', type: 'pager' },
      { value: '+44 20 0000 0011', type: 'car' },
      { value: '+44 20 0000 0012', type: 'radio' },
      { value: '+44 20 0000 0013', type: 'callback' },
      { value: '+44 20 0000 0014', type: 'isdn' },
      { value: '+44 20 0000 0015', type: 'telex' },
      { value: '+44 20 0000 0016', type: 'tty' },
      { value: '+44 20 0000 0017', type: 'assistant' },
      { value: '+44 20 0000 0018', type: 'company-main' },
      { value: '+44 20 0000 0019', type: 'other' },
    ],
    addresses: [
      {
        type: 'home',
        street: '12 St James Square',
        city: 'London',
        region: 'Greater London',
        postalCode: 'SW1Y 4JH',
        country: 'United Kingdom',
        primary: true,
      },
      {
        type: 'work',
        street: '1 Analytical Row',
        extended: 'Floor 2',
        city: 'Cambridge',
        postalCode: 'CB2 1TN',
        country: 'UK',
        poBox: 'PO 7',
      },
      { type: 'other', city: 'Paris', country: 'France', formatted: 'Somewhere in Paris' },
    ],
    urls: [
      { value: 'https://ada.example.org', type: 'home-page' },
      { value: 'https://engine.example.com', type: 'work' },
    ],
    organizations: [
      {
        name: 'Analytical Engines Ltd',
        department: 'Research',
        title: 'Mathematician',
        location: 'Room 5',
        profession: 'Analyst',
      },
    ],
    birthday: { year: 1815, month: 12, day: 10 },
    events: [{ type: 'anniversary', date: { year: 1835, month: 7, day: 8 } }],
    notes: 'First programmer.\nLine two.',
    relations: [
      { name: 'William King', type: 'spouse' },
      { name: 'Charles Babbage', type: 'manager' },
      { name: 'Mary Somerville', type: 'assistant' },
    ],
    imAddresses: [{ value: 'ada@im.example.org' }],
    folderIds: ['friends'],
  };
}

/** A contact with non-Latin and right-to-left text, a year-less birthday and a long note. */
export function internationalContact(noteLength: number): Contact {
  return {
    ...emptyContact('محمد الخوارزمي'),
    name: { given: 'محمد', family: 'الخوارزمي' },
    emails: [{ value: 'khwarizmi@example.org' }],
    phones: [{ value: '+98 21 0000', type: 'work' }],
    addresses: [{ type: 'work', street: 'بيت الحكمة', city: 'بغداد', country: 'العراق' }],
    birthday: { month: 2, day: 29 },
    notes: ('אלגוריתם 算法 алгоритм ' + 'ℵ'.repeat(10))
      .repeat(Math.ceil(noteLength / 40))
      .slice(0, noteLength),
    organizations: [{ name: '東京大学', title: '教授' }],
    folderIds: ['team'],
  };
}

/** Generated contacts for volume tests. */
export function simpleContact(index: number): Contact {
  return {
    ...emptyContact(`Person ${index}`),
    name: { given: 'Person', family: String(index) },
    emails: [{ value: `person${index}@example.org` }],
    phones: [{ value: `+1 555 ${String(index).padStart(6, '0')}`, type: 'mobile' }],
    folderIds: [],
  };
}

export async function* fromArray(items: readonly PstContactInput[]): AsyncIterable<PstContactInput> {
  for (const item of items) yield item;
}

export interface ToolRun {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a reader under a timeout; rejects on a non-zero exit or a timeout. */
export async function runTool(command: string, args: readonly string[], timeoutMs: number): Promise<ToolRun> {
  const { stdout, stderr } = await run(command, [...args], {
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { stdout, stderr };
}

/** Lines of reader output that report an error or a warning. */
export function problemLines(output: string): string[] {
  return output.split('\n').filter((line) => /error|warning|fail|corrupt|invalid|unable/i.test(line));
}

/** readpst: one vCard per contact; returns folder path → vCard texts. */
export async function readpstVcards(
  file: string,
  outDir: string,
): Promise<{ cards: Map<string, string[]>; run: ToolRun }> {
  const result = await runTool('readpst', ['-S', '-cv', '-tc', '-8', '-o', outDir, file], 60_000);
  const cards = new Map<string, string[]>();
  const walk = async (dir: string, path: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) await walk(join(dir, entry.name), path ? `${path}/${entry.name}` : entry.name);
      else if (/^\d+$/.test(entry.name)) {
        cards.set(path, [...(cards.get(path) ?? []), await readFile(join(dir, entry.name), 'utf8')]);
      }
    }
  };
  await walk(outDir, '');
  return { cards, run: result };
}

export interface PffItem {
  readonly folder: string;
  readonly contact: string;
  readonly values: string;
}

/** pffexport: every contact item's Contact.txt and ItemValues.txt by folder path. */
export async function pffexportItems(
  file: string,
  target: string,
): Promise<{ items: PffItem[]; run: ToolRun }> {
  const result = await runTool('pffexport', ['-d', '-m', 'items', '-t', target, file], 90_000);
  const items: PffItem[] = [];
  const walk = async (dir: string, path: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const full = join(dir, entry.name);
      if (/^Contact\d+$/.test(entry.name)) {
        items.push({
          folder: path,
          contact: await readFile(join(full, 'Contact.txt'), 'utf8'),
          values: await readFile(join(full, 'ItemValues.txt'), 'utf8'),
        });
      } else await walk(full, path ? `${path}/${entry.name}` : entry.name);
    }
  };
  await walk(`${target}.export`, '');
  return { items, run: result };
}
