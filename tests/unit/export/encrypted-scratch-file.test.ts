/** The PST scratch file behind a password-ZIP export holds only ciphertext (issue 18 item 4). */
import { afterAll, describe, expect, it } from 'vitest';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { emptyContact } from '../../../main/core/contacts/model';
import { EncryptedScratchFile } from '../../../main/core/export/encrypted-scratch-file';
import { writePst } from '../../../main/core/export/pst';
import { checkPstBytes, formatProblems } from '../../support/pst-check/check';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

describe('EncryptedScratchFile', () => {
  it('takes writes at any offset, keeps only ciphertext on disk (0600) and reads back the plaintext', async () => {
    const path = join(await tempDir(), 'scratch');
    const file = await EncryptedScratchFile.create(path);
    await file.writev([Buffer.from('hello '), Buffer.from('plain world')], 3);
    await file.write(Buffer.from('xxABCyy'), 2, 3, 0);
    await file.write(Buffer.from('!'), 0, 1, 33);
    await file.close();
    const onDisk = await readFile(path);
    expect(onDisk.includes(Buffer.from('plain'))).toBe(false);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const plain = await text(file.plaintextStream());
    expect(plain).toBe(`ABChello plain world${'\0'.repeat(13)}!`);
    await expect(EncryptedScratchFile.create(path)).rejects.toThrow(/EEXIST/);
  });

  it('holds a whole PST whose decrypted bytes pass the strict checker', async () => {
    const path = join(await tempDir(), 'scratch.pst');
    const scratch = await EncryptedScratchFile.create(path);
    const name = 'Secretname Lovelace';
    async function* contacts() {
      yield {
        folderId: 'a',
        contact: { ...emptyContact(name), name: { given: 'Secretname', family: 'Lovelace' } },
      };
    }
    await writePst(path, [{ id: 'a', name: 'Friends' }], contacts(), { output: scratch });
    const onDisk = await readFile(path);
    expect(onDisk.includes(Buffer.from(name, 'utf16le'))).toBe(false);
    const chunks: Buffer[] = [];
    for await (const chunk of scratch.plaintextStream()) chunks.push(chunk as Buffer);
    const plain = Buffer.concat(chunks);
    expect(plain.includes(Buffer.from(name, 'utf16le'))).toBe(true);
    expect(formatProblems(checkPstBytes(plain))).toBe('');
    // The header region the writer never touches reads back as zeros, as in a plain file.
    expect(plain.subarray(564, 0x4200).every((byte) => byte === 0)).toBe(true);
  });
});
