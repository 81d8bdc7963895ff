/**
 * Wraps an export in a password-protected ZIP (AES-256, WinZip AE-2, which Windows' Explorer
 * extracts with 7-Zip and macOS with Archive Utility/The Unarchiver), streaming, so a large PST is
 * never held in memory.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { ZipWriter, configure } from '@zip.js/zip.js';

configure({ useWebWorkers: false });

export async function zipWithPassword(
  inputPath: string,
  entryName: string,
  outputPath: string,
  password: string,
  signal?: AbortSignal,
): Promise<void> {
  const writer = new ZipWriter(Writable.toWeb(createWriteStream(outputPath, { mode: 0o600 })));
  await writer.add(entryName, Readable.toWeb(createReadStream(inputPath)) as ReadableStream<Uint8Array>, {
    password,
    encryptionStrength: 3,
    signal,
  });
  await writer.close();
}
