import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  openBytes,
  openBytesSliced,
  sealBytes,
  writeSealedStream,
} from '../../../main/core/vault/sealed-file';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

/** Seals into a file as the search table is written, and reads the file back. */
async function sealBytesSliced(
  key: Buffer,
  name: string,
  plaintext: Buffer | Buffer[],
  pause: () => Promise<void> | undefined,
): Promise<Buffer> {
  const path = join(await tempDir(), name);
  await writeSealedStream(key, name, path, pause, async (write) => {
    for (const part of Array.isArray(plaintext) ? plaintext : [plaintext]) await write(part);
  });
  return readFile(path);
}

const key = randomBytes(32);
/** More than two pieces (2 MB each), with a short last one. */
const body = randomBytes(5 * 2 ** 20 + 123);

describe('sealed files in pieces', () => {
  it('writes the format openBytes reads, and reads what sealBytes wrote, pausing between pieces', async () => {
    let pauses = 0;
    const pause = () => {
      pauses += 1;
      return Promise.resolve();
    };
    const sealed = await sealBytesSliced(key, 'search-table', body, pause);
    expect(pauses).toBeGreaterThanOrEqual(2);
    expect(openBytes(key, 'search-table', sealed).equals(body)).toBe(true);
    const plain = sealBytes(key, 'search-table', body, { compress: false });
    expect((await openBytesSliced(key, 'search-table', plain, pause)).equals(body)).toBe(true);
    // Parts of any sizes (empty, tiny, over a piece) are sealed as their concatenation.
    const parts = [
      Buffer.alloc(0),
      body.subarray(0, 3),
      body.subarray(3, 3 * 2 ** 20 + 1),
      body.subarray(3 * 2 ** 20 + 1),
    ];
    const fromParts = await sealBytesSliced(key, 'search-table', parts, pause);
    expect(openBytes(key, 'search-table', fromParts).equals(body)).toBe(true);
    // A deflated file is opened too (in one piece).
    const deflated = sealBytes(key, 'search-table', Buffer.alloc(100_000, 7));
    expect(
      (await openBytesSliced(key, 'search-table', deflated, pause)).equals(Buffer.alloc(100_000, 7)),
    ).toBe(true);
  });

  it('refuses a changed byte, another name and a cut-off file', async () => {
    const sealed = await sealBytesSliced(key, 'search-table', body, () => undefined);
    const changed = Buffer.from(sealed);
    changed[changed.length - 10] ^= 1;
    await expect(openBytesSliced(key, 'search-table', changed, () => undefined)).rejects.toMatchObject({
      code: 'tampered',
    });
    await expect(openBytesSliced(key, 'first-screen', sealed, () => undefined)).rejects.toMatchObject({
      code: 'tampered',
    });
    await expect(
      openBytesSliced(key, 'search-table', sealed.subarray(0, sealed.length - 1000), () => undefined),
    ).rejects.toMatchObject({ code: 'tampered' });
    await expect(
      openBytesSliced(key, 'search-table', sealed.subarray(0, 20), () => undefined),
    ).rejects.toMatchObject({ code: 'truncated' });
  });
});
