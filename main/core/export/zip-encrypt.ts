/**
 * Wraps an export in a password-protected ZIP (AES-256, WinZip AE-2, which Windows' Explorer
 * extracts with 7-Zip and macOS with Archive Utility/The Unarchiver). The contents arrive as a
 * stream and are encrypted as they stream, so no unencrypted copy of the export is ever written to
 * disk, and a large PST is never held in memory.
 */
import { createWriteStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { ZipWriter, configure } from '@zip.js/zip.js';

configure({ useWebWorkers: false });

/** Writes `source` as the one entry `entryName` of a new AES-256 ZIP at `outputPath` (0600). */
export async function zipStreamWithPassword(
  source: Readable,
  entryName: string,
  outputPath: string,
  password: string,
  signal?: AbortSignal,
): Promise<void> {
  const output = createWriteStream(outputPath, { mode: 0o600 });
  const writer = new ZipWriter(Writable.toWeb(output));
  try {
    await writer.add(entryName, Readable.toWeb(source) as ReadableStream<Uint8Array>, {
      password,
      encryptionStrength: 3,
      signal,
    });
    await writer.close();
  } catch (error) {
    source.destroy();
    output.destroy();
    throw error;
  }
}
