/** The strict checker: Outlook's own files pass with only their documented deviations; damage is caught. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { checkPstBytes, formatProblems } from '../../../support/pst-check/check';
import { writeU64 } from '../../../../main/core/export/pst/binary';
import { PST_FIXTURES } from '../../../support/shared-fixtures';

const fixtures = PST_FIXTURES;
/** Deviations of Outlook-made files, documented in check.ts. */
const outlookDeviations = [
  /slots marked allocated but not referenced/,
  /no DList page/,
  /search contents table is not a TC/,
  /PidTagMessageSize \d+, payload \d+/,
  /has no counterpart on the object/,
];

describe('checkPst', () => {
  for (const name of ['dist-list.pst', 'passworded.pst']) {
    it(`accepts Outlook's ${name} except for documented deviations`, async () => {
      const problems = checkPstBytes(await readFile(`${fixtures}/${name}`));
      expect(problems.filter((problem) => problem.severity === 'error')).toEqual([]);
      const unexplained = problems.filter(
        (problem) => !outlookDeviations.some((pattern) => pattern.test(problem.message)),
      );
      expect(formatProblems(unexplained)).toBe('');
    });
  }

  it('reports a wrong header CRC', async () => {
    const file = Buffer.from(await readFile(`${fixtures}/dist-list.pst`));
    file[40] ^= 0xff; // dwUnique, covered by both header CRCs
    const messages = checkPstBytes(file).map((problem) => problem.message);
    expect(messages).toContain('dwCRCPartial mismatch');
    expect(messages).toContain('dwCRCFull mismatch');
  });

  it('reports a B-tree page whose trailer bid differs from its parent BREF', async () => {
    const file = Buffer.from(await readFile(`${fixtures}/dist-list.pst`));
    const nbtRoot = Number(file.readBigUInt64LE(224));
    writeU64(file, nbtRoot + 504, Number(file.readBigUInt64LE(nbtRoot + 504)) + 1);
    const messages = checkPstBytes(file).map((problem) => problem.message);
    expect(messages.some((message) => message.includes('≠ parent BREF'))).toBe(true);
  });

  it('reports a damaged block and an AMap that no longer covers it', async () => {
    const file = Buffer.from(await readFile(`${fixtures}/dist-list.pst`));
    const bbtRoot = Number(file.readBigUInt64LE(240));
    // first BBT leaf entry (descend leftmost), then flip a byte of that block's data
    let page = bbtRoot;
    while (file[page + 491] > 0) page = Number(file.readBigUInt64LE(page + 16));
    const blockOffset = Number(file.readBigUInt64LE(page + 8));
    file[blockOffset] ^= 0x01;
    file.fill(0, 0x4400, 0x4400 + 496); // zero the first AMap bitmap
    const messages = checkPstBytes(file).map((problem) => problem.message);
    expect(messages).toContain('block CRC mismatch');
    expect(messages.some((message) => message.includes('in use but marked free'))).toBe(true);
  });

  it('rejects something that is not a PST', () => {
    expect(checkPstBytes(Buffer.from('hello')).map((problem) => problem.message)).toEqual([
      'not a PST file (magic !BDN missing)',
    ]);
  });
});
