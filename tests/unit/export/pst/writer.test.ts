/** writePst behaviour that needs no external reader: layout rules, abort, bad input. */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyContact } from '../../../../main/core/contacts/model';
import { writePst, type PstContactInput } from '../../../../main/core/export/pst';
import { checkPstBytes, formatProblems } from '../../../support/pst-check/check';
import { computeSig, pstCrc } from '../../../../main/core/export/pst/crc';
import { hasFMap, hasPMap, reservedBytes } from '../../../../main/core/export/pst/layout';
import { PST_FIXTURES } from '../../../support/shared-fixtures';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pst-writer-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function* some(count: number, folderId = 'a'): AsyncIterable<PstContactInput> {
  for (let index = 0; index < count; index++) yield { folderId, contact: emptyContact(`Contact ${index}`) };
}

describe('PST primitives', () => {
  it('uses the PST CRC (initial 0, no final XOR), not zlib crc32', async () => {
    const outlook = await readFile(`${PST_FIXTURES}/dist-list.pst`);
    expect(pstCrc(outlook, 8, 8 + 471)).toBe(outlook.readUInt32LE(4));
    expect(pstCrc(outlook, 8, 8 + 516)).toBe(outlook.readUInt32LE(524));
    expect(pstCrc(Buffer.from('123456789'))).not.toBe(0xcbf43926);
  });

  it('folds ib XOR bid to 16 bits for wSig', () => {
    expect(computeSig(0x4400, 0x4)).toBe(0x4404 & 0xffff);
    expect(computeSig(0x1_0000_4400, 0x8)).toBe((0x4408 ^ 0x1) & 0xffff);
  });

  it('places PMaps every 8th and FMaps on interval 128 and every 496th after it', () => {
    expect([0, 8, 16].every(hasPMap)).toBe(true);
    expect(hasPMap(7)).toBe(false);
    expect([127, 128, 129, 623, 624].map(hasFMap)).toEqual([false, true, false, false, true]);
    expect(reservedBytes(128)).toBe(3 * 512);
  });
});

describe('writePst', () => {
  it('writes a file Outlook-sized (whole AMap intervals) that passes the checker', async () => {
    const path = join(dir, 'small.pst');
    const result = await writePst(
      path,
      [
        { id: 'a', name: 'A' },
        { id: 'b', name: 'Empty' },
      ],
      some(3),
    );
    expect(result).toEqual({ folders: 2, contacts: 3, bytes: 271_360 });
    expect((await stat(path)).size).toBe(271_360);
    expect(formatProblems(checkPstBytes(await readFile(path)))).toBe('');
  });

  it('stops with an AbortError and closes the file when the signal fires', async () => {
    const controller = new AbortController();
    const path = join(dir, 'aborted.pst');
    const promise = writePst(path, [{ id: 'a', name: 'A' }], some(50), {
      signal: controller.signal,
      onProgress: (done) => {
        if (done === 10) controller.abort();
      },
    });
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
    await rm(path); // the handle is closed, so the caller can delete the partial file
  });

  it('refuses contacts for unknown folders and cyclic folder trees', async () => {
    await expect(writePst(join(dir, 'bad1.pst'), [{ id: 'a', name: 'A' }], some(1, 'x'))).rejects.toThrow(
      /unknown PST folder/,
    );
    await expect(
      writePst(
        join(dir, 'bad2.pst'),
        [
          { id: 'a', name: 'A', parentId: 'b' },
          { id: 'b', name: 'B', parentId: 'a' },
        ],
        some(0),
      ),
    ).rejects.toThrow(/own ancestor/);
  });
});
