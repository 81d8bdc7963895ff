/**
 * Writes a varied PST and reads it back with pst-extractor (through the PST provider), readpst (libpst)
 * and pffexport (libpff), plus the strict checker; then the Contact → PST → Contact round trip.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contact } from '../../../main/core/contacts/model';
import { writePst, type PstContactInput } from '../../../main/core/export/pst';
import { checkPst, formatProblems } from '../../support/pst-check/check';
import { readPstContacts } from '../../../main/core/providers/pst/pst-provider';
import {
  folders,
  fromArray,
  fullContact,
  internationalContact,
  pffexportItems,
  photoBytes,
  problemLines,
  readpstVcards,
  simpleContact,
} from './pst-fixtures';

const photo = { mediaType: 'image/png', bytes: photoBytes(20_000, 1) };
const inputs: PstContactInput[] = [
  { folderId: 'friends', contact: fullContact(), photo },
  { folderId: 'team', contact: internationalContact(9_000) },
  { folderId: 'deep', contact: { ...internationalContact(70_000), displayName: 'Long note' } },
  { folderId: 'work', contact: simpleContact(1) },
];

/** What PST can hold of a contact: email kinds and labels are not stored, phones come back grouped by kind. */
function storable(contact: Contact, folderId: string): Contact {
  return {
    ...contact,
    emails: contact.emails.map((email) => ({ value: email.value })),
    folderIds: [folderId],
  };
}

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pst-readers-'));
  file = join(dir, 'varied.pst');
  const result = await writePst(file, folders, fromArray(inputs), { storeName: 'Backup' });
  expect(result).toEqual({ folders: 5, contacts: 4, bytes: expect.any(Number) });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('varied PST', () => {
  it('passes the strict structural checker', async () => {
    const problems = await checkPst(file);
    expect(formatProblems(problems)).toBe('');
  });

  it('round-trips every contact through pst-extractor and the PST provider', async () => {
    const { folders: read, contacts } = await readPstContacts(file);
    const byName = new Map(read.map((folder) => [folder.name, folder]));
    expect([...byName.keys()].sort()).toEqual(['Deep', 'Empty folder', 'Friends', 'Team Ω', 'Work']);
    expect(byName.get('Team Ω')?.parentId).toBe(byName.get('Work')?.id);
    expect(byName.get('Deep')?.parentId).toBe(byName.get('Team Ω')?.id);
    expect(byName.get('Friends')?.parentId).toBeUndefined();
    expect(contacts).toHaveLength(inputs.length);
    const folderIdOf = (inputFolder: string) =>
      byName.get(folders.find((folder) => folder.id === inputFolder)?.name ?? '')?.id ?? '';
    for (const input of inputs) {
      const found = contacts.find((item) => item.contact.displayName === input.contact.displayName);
      expect(found?.contact).toEqual(storable(input.contact, folderIdOf(input.folderId)));
    }
    const ada = contacts.find((item) => item.contact.displayName === fullContact().displayName);
    const loaded = await ada?.photo?.load();
    expect(loaded?.mediaType).toBe('image/png');
    expect(Buffer.from(loaded?.bytes ?? []).equals(Buffer.from(photo.bytes))).toBe(true);
    expect(contacts.filter((item) => item.photo)).toHaveLength(1);
  });

  it('is read by readpst with the same values and no warnings', async () => {
    const { cards, run } = await readpstVcards(file, await mkdtemp(join(dir, 'readpst-')));
    expect(problemLines(run.stdout + run.stderr)).toEqual([]);
    expect([...cards.keys()].sort()).toEqual([
      'Backup/Friends',
      'Backup/Work',
      'Backup/Work/Team Ω',
      'Backup/Work/Team Ω/Deep',
    ]);
    const ada = cards.get('Backup/Friends')?.[0] ?? '';
    for (const line of [
      'FN:Lovelace\\, Ada (Countess)',
      'N:Lovelace;Ada;Maria;Dr.;Jr.',
      'NICKNAME:Countess',
      'EMAIL:ada@example.org',
      'EMAIL:ada.work@example.com',
      'EMAIL:ada3@example.net',
      'BDAY:1815-12-10',
      'ADR;TYPE=home:;;12 St James Square;London;Greater London;SW1Y 4JH;United Kingdom',
      'ADR;TYPE=work:PO 7;;1 Analytical Row\\nFloor 2;Cambridge;;CB2 1TN;UK',
      'LABEL;TYPE=postal:Somewhere in Paris',
      'TEL;TYPE=cell,voice:+44 20 0000 0001',
      'TEL;TYPE=home,voice:+44 20 0000 0003',
      'TEL;TYPE=work,voice:+44 20 0000 0005',
      'TEL;TYPE=work,fax:+44 20 0000 0008',
      'TEL;TYPE=pager:+44 20 0000 0010',
      'TITLE:Mathematician',
      'ORG:Analytical Engines Ltd',
      'NOTE:First programmer.\\nLine two.',
    ]) {
      expect(ada).toContain(line);
    }
    const arabic = cards.get('Backup/Work/Team Ω')?.[0] ?? '';
    expect(arabic).toContain('N:الخوارزمي;محمد;;;');
    expect(arabic).toContain('BDAY:1604-02-29');
    expect(arabic).toContain('ORG:東京大学');
    const long = cards.get('Backup/Work/Team Ω/Deep')?.[0] ?? '';
    expect(long).toContain('NOTE:' + internationalContact(70_000).notes?.slice(0, 200));
  });

  it('is read by pffexport with the same values, the photo and no warnings', async () => {
    const { items, run } = await pffexportItems(file, join(dir, 'pff'));
    expect(problemLines(run.stdout + run.stderr)).toEqual([]);
    expect(items.map((item) => item.folder).sort()).toEqual([
      'Top of Personal Folders/Friends',
      'Top of Personal Folders/Work',
      'Top of Personal Folders/Work/Team Ω',
      'Top of Personal Folders/Work/Team Ω/Deep',
    ]);
    const ada = items.find((item) => item.folder.endsWith('Friends'));
    for (const text of [
      'File under:\t\t\t\tLovelace, Ada (Countess)',
      'Given name:\t\t\t\tAda',
      'Surname:\t\t\t\tLovelace',
      'Mobile phone number:\t\t\t+44 20 0000 0001',
      'Business phone number 2:\t\t+44 20 0000 0005',
      'Email address 3:\t\t\tada3@example.net',
      'Department name:\t\t\tResearch',
    ]) {
      expect(ada?.contact).toContain(text);
    }
    const exported = await readFile(
      join(dir, 'pff.export/Top of Personal Folders/Friends/Contact00001/Attachments/1_ContactPicture.png'),
    );
    expect(exported.equals(Buffer.from(photo.bytes))).toBe(true);
    const deep = items.find((item) => item.folder.endsWith('Deep'));
    expect(deep?.contact).toContain('Given name:\t\t\t\tمحمد');
  });
});
