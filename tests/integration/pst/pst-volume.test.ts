/**
 * 10,000 contacts in one folder, one in five with a 16 KB photo: the file crosses 32 MB, so it needs the
 * FMap page of AMap interval 128 ([MS-PST] §2.2.2.7.3), a multi-level NBT/BBT, a contents table whose
 * row matrix lives in a subnode and a multi-block heap. All three readers must find every contact.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePst, type PstContactInput } from '../../../main/core/export/pst';
import { checkPst, formatProblems } from '../../support/pst-check/check';
import { readPstContacts } from '../../../main/core/providers/pst/pst-provider';
import { photoBytes, problemLines, runTool, simpleContact } from './pst-fixtures';

const total = 10_000;
let dir: string;
let file: string;
let bytes = 0;

async function* contacts(): AsyncIterable<PstContactInput> {
  for (let index = 0; index < total; index++) {
    yield {
      folderId: 'all',
      contact: simpleContact(index),
      ...(index % 5 === 0 ? { photo: { mediaType: 'image/jpeg', bytes: photoBytes(16_000, index) } } : {}),
    };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pst-volume-'));
  file = join(dir, 'volume.pst');
  const progress: number[] = [];
  const result = await writePst(file, [{ id: 'all', name: 'Everyone' }], contacts(), {
    onProgress: (done) => progress.push(done),
  });
  bytes = result.bytes;
  expect(result.contacts).toBe(total);
  expect(progress.at(-1)).toBe(total);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('10,000-contact PST', () => {
  it('is larger than 32 MB and passes the strict checker (FMap included)', async () => {
    expect(bytes).toBeGreaterThan(32 * 1024 * 1024);
    expect(formatProblems(await checkPst(file))).toBe('');
  });

  it('is read completely by pst-extractor, readpst and pffexport', async () => {
    const out = join(dir, 'readpst');
    const [extracted, readpst, pff] = await Promise.all([
      readPstContacts(file),
      (async () => {
        await runTool('mkdir', ['-p', out], 5_000);
        return runTool('readpst', ['-S', '-cv', '-tc', '-8', '-o', out, file], 60_000);
      })(),
      runTool('pffexport', ['-d', '-m', 'items', '-t', join(dir, 'pff'), file], 110_000),
    ]);
    expect(extracted.contacts).toHaveLength(total);
    const names = new Set(extracted.contacts.map((item) => item.contact.displayName));
    expect(names.size).toBe(total);
    expect(extracted.contacts.filter((item) => item.photo)).toHaveLength(total / 5);
    expect(problemLines(readpst.stdout + readpst.stderr)).toEqual([]);
    const cards = (await readdir(join(out, 'Personal Folders', 'Everyone'))).filter((name) =>
      /^\d+$/.test(name),
    );
    expect(cards).toHaveLength(total);
    expect(problemLines(pff.stdout + pff.stderr)).toEqual([]);
    const items = await readdir(join(dir, 'pff.export', 'Top of Personal Folders', 'Everyone'));
    expect(items.filter((name) => name.startsWith('Contact'))).toHaveLength(total);
  }, 120_000);
});
