/** CSV injection (issue 18 item 4, OWASP "CSV Injection"): cells a spreadsheet would run are escaped. */
import { describe, expect, it } from 'vitest';
import { emptyContact } from '../../../main/core/contacts/model';
import { contactsToCsv, csvChunks, csvRecord, neutraliseFormula } from '../../../main/core/export/csv-export';

describe('neutraliseFormula', () => {
  it('prefixes a quote to cells starting with = + - @ tab or CR, also behind spaces', () => {
    for (const cell of [
      '=1+1',
      `+cmd|' /C calc'!A0`,
      '-2+3+cmd|x',
      '@SUM(A1)',
      '\tx',
      '\rx',
      '  =HYPERLINK("x")',
    ]) {
      expect(neutraliseFormula(cell)).toBe(`'${cell}`);
    }
  });

  it('leaves ordinary text and phone numbers alone', () => {
    for (const cell of ['Ada', 'a=b', '', '+44 20 7946 0958', '+1 (555) 010-0199', '-42', 'x@example.org']) {
      expect(neutraliseFormula(cell)).toBe(cell);
    }
  });

  it('is applied to every written cell, quoted or not', () => {
    expect(csvRecord(['=cmd', 'ok'], false)).toBe(`'=cmd,ok\r\n`);
    expect(csvRecord(['@x', 'ok'], true)).toBe(`"'@x","ok"\r\n`);
    const contact = { ...emptyContact('x'), name: { given: '=Evil' }, notes: `+cmd|' /C calc'!A0` };
    for (const layout of ['google', 'outlook'] as const) {
      const text = contactsToCsv([{ contact, folderNames: ['@group'] }], layout);
      expect(text).toContain(`'=Evil`);
      expect(text).toContain(`'+cmd|`);
      expect(text).not.toMatch(/(^|[,"])=Evil/m);
      expect([...csvChunks([{ contact, folderNames: [] }], layout)].join('')).toBe(
        contactsToCsv([{ contact, folderNames: [] }], layout),
      );
    }
  });
});
