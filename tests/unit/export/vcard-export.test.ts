import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyContact } from '../../../main/core/contacts/model';
import { parseVcard, parseVcards } from '../../../main/core/contacts/vcard-parse';
import {
  contactsToVcf,
  safeFileStem,
  writeVcfFile,
  writeVcfFolder,
  type VcfExportRow,
} from '../../../main/core/export/vcard-export';
import { generateContacts } from '../../support/generate-contacts';

const directory = mkdtempSync(join(tmpdir(), 'vcard-export-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const rows: VcfExportRow[] = generateContacts(120, { seed: 8, photoShare: 0.15, folders: 5 }).map((item) => ({
  contact: item.contact,
  folderNames: item.folderNames,
  uid: item.uid,
  ...(item.photo ? { photo: item.photo } : {}),
}));

describe('contactsToVcf', () => {
  for (const version of ['3.0', '4.0'] as const) {
    it(`writes one vCard ${version} per contact that reads back with folders, UIDs and photos`, () => {
      const text = contactsToVcf(rows, version);
      expect(text.match(/^BEGIN:VCARD\r$/gm)).toHaveLength(rows.length);
      expect(text.match(new RegExp(`^VERSION:${version.replace('.', '\\.')}\\r$`, 'gm'))).toHaveLength(
        rows.length,
      );
      const { cards, errors } = parseVcards(text);
      expect(errors).toEqual([]);
      cards.forEach((card, index) => {
        expect(card.contact).toEqual(rows[index].contact);
        expect(card.categories).toEqual(rows[index].folderNames);
        expect(card.uid).toBe(rows[index].uid);
        expect(card.photo?.bytes).toEqual(rows[index].photo?.bytes);
      });
    });
  }

  it('gives an empty string for no contacts', () => {
    expect(contactsToVcf([], '4.0')).toBe('');
  });
});

describe('writeVcfFile', () => {
  it('streams the same bytes contactsToVcf builds', async () => {
    const path = join(directory, 'all.vcf');
    expect(await writeVcfFile(rows, path, '3.0')).toBe(rows.length);
    expect(readFileSync(path, 'utf8')).toBe(contactsToVcf(rows, '3.0'));
  });

  it('accepts an async source and stops when cancelled', async () => {
    async function* source() {
      yield rows[0];
      yield rows[1];
    }
    const path = join(directory, 'async.vcf');
    expect(await writeVcfFile(source(), path, '4.0')).toBe(2);
    expect(parseVcards(readFileSync(path, 'utf8')).cards).toHaveLength(2);
    const controller = new AbortController();
    controller.abort();
    await expect(
      writeVcfFile(rows, join(directory, 'cancelled.vcf'), '4.0', controller.signal),
    ).rejects.toThrow();
  });
});

describe('writeVcfFolder', () => {
  it('writes one file per contact with safe, unique names and never overwrites', async () => {
    const target = join(directory, 'per-contact');
    const special = [
      { contact: emptyContact('Ann'), folderNames: [] },
      { contact: emptyContact('ann'), folderNames: ['Family'] },
      { contact: emptyContact('a/b:c*?"<>|'), folderNames: [] },
      { contact: emptyContact('CON'), folderNames: [] },
      { contact: emptyContact('  '), folderNames: [] },
      { contact: { ...emptyContact(''), emails: [{ value: 'x@example.org' }] }, folderNames: [] },
      { contact: emptyContact('محمد العلي'), folderNames: [] },
    ];
    const first = await writeVcfFolder(special, target, '4.0');
    expect(first).toEqual([
      'Ann.vcf',
      'ann (2).vcf',
      'a_b_c______.vcf',
      'CON_.vcf',
      '(no name).vcf',
      'x@example.org.vcf',
      'محمد العلي.vcf',
    ]);
    const again = await writeVcfFolder(special.slice(0, 1), target, '4.0');
    expect(again).toEqual(['Ann (3).vcf']);
    expect(readdirSync(target).sort()).toEqual([...first, ...again].sort());
    expect(parseVcard(readFileSync(join(target, 'ann (2).vcf'), 'utf8')).categories).toEqual(['Family']);
    expect(parseVcard(readFileSync(join(target, 'محمد العلي.vcf'), 'utf8')).contact.displayName).toBe(
      'محمد العلي',
    );
  });

  it('makes file stems safe', () => {
    expect(safeFileStem('..hidden')).toBe('hidden');
    expect(safeFileStem('trailing dots...')).toBe('trailing dots');
    expect(safeFileStem('lpt1')).toBe('lpt1_');
    expect(safeFileStem('tab\there')).toBe('tab_here');
    expect([...safeFileStem('x'.repeat(300))]).toHaveLength(100);
    expect(safeFileStem('')).toBe('contact');
  });
});
