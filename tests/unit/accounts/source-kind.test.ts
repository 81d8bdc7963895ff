import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertSourceKind, sniffKind } from '../../../main/core/accounts/source-kind';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

describe('source kind', () => {
  it('recognises vCards (with a BOM or leading blank lines), PST, ZIP, CSV and other text', () => {
    expect(sniffKind(Buffer.from('\uFEFF\r\nbegin:vcard\r\nVERSION:3.0'))).toBe('vcard');
    expect(sniffKind(Buffer.from('!BDN\x00\x01'))).toBe('pst');
    expect(sniffKind(Buffer.from('PK\x03\x04'))).toBe('zip');
    expect(sniffKind(Buffer.from('Name,E-mail\nAda,ada@example.org'))).toBe('csv');
    expect(sniffKind(Buffer.from('hello world\n'))).toBe('text');
    expect(sniffKind(Buffer.alloc(0))).toBe('empty');
  });

  it('refuses a file that is not of the wanted kind with a sentence, and accepts folders and empty vCards', async () => {
    const folder = await tempDir();
    const csv = join(folder, 'contacts.vcf');
    await writeFile(csv, 'Name,E-mail\nAda,ada@example.org\n');
    await expect(assertSourceKind(csv, 'vcard')).rejects.toMatchObject({
      code: 'wrong-kind',
      message:
        'This is a CSV (spreadsheet) file, not a vCard file (it starts with BEGIN:VCARD). Choose a vCard file (it starts with BEGIN:VCARD).',
    });
    const card = join(folder, 'card.vcf');
    await writeFile(card, 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada\r\nEND:VCARD\r\n');
    await expect(assertSourceKind(card, 'vcard')).resolves.toBeUndefined();
    await expect(assertSourceKind(card, 'pst')).rejects.toThrow(
      /This is a vCard file, not an Outlook PST file/,
    );
    const empty = join(folder, 'empty.vcf');
    await writeFile(empty, '');
    await expect(assertSourceKind(empty, 'vcard')).resolves.toBeUndefined();
    await expect(assertSourceKind(folder, 'vcard')).resolves.toBeUndefined();
    await expect(assertSourceKind(folder, 'pst')).rejects.toThrow(/is a folder, not a PST file/);
  });
});
