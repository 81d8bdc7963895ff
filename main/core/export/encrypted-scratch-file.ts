/**
 * A scratch file whose bytes on disk are AES-256-CTR ciphertext under a key that exists only in
 * this process's memory. The PST writer needs random-access writes (maps and header last, pst.md §0),
 * so a PST going into a password ZIP cannot be streamed straight into the archive; it is written
 * here instead and read back, decrypted, as a stream into the ZIP. A killed export therefore leaves
 * only ciphertext whose key died with the process: no readable plaintext ever touches the disk.
 *
 * CTR mode makes any offset writable on its own: the keystream for byte `p` is block `p / 16` of
 * the counter sequence, skipped into by `p % 16` bytes.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';

const BLOCK = 16;

/** What the PST writer needs of its output (a subset of FileHandle). */
export interface RandomAccessOutput {
  writev(buffers: Buffer[], position: number): Promise<unknown>;
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<unknown>;
  close(): Promise<void>;
}

export class EncryptedScratchFile implements RandomAccessOutput {
  private readonly key = randomBytes(32);
  /** High 8 bytes of the counter block; the low 8 bytes count 16-byte blocks from 0. */
  private readonly nonce = randomBytes(8);

  /** Written byte ranges [start, end), merged and sorted: the gaps are filled with sealed zeros on close. */
  private written: [number, number][] = [];

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /** Creates the file (0600, refusing to reuse an existing one). */
  static async create(path: string): Promise<EncryptedScratchFile> {
    return new EncryptedScratchFile(path, await open(path, 'wx', 0o600));
  }

  private counterAt(position: number): Buffer {
    const iv = Buffer.alloc(BLOCK);
    this.nonce.copy(iv, 0);
    iv.writeBigUInt64BE(BigInt(Math.floor(position / BLOCK)), 8);
    return iv;
  }

  private encryptAt(data: Buffer, position: number): Buffer {
    const cipher = createCipheriv('aes-256-ctr', this.key, this.counterAt(position));
    const skip = position % BLOCK;
    if (skip) cipher.update(Buffer.alloc(skip));
    return cipher.update(data);
  }

  private mark(start: number, end: number): void {
    if (end <= start) return;
    const ranges = [...this.written, [start, end] as [number, number]].sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const range of ranges) {
      const last = merged.at(-1);
      if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
      else merged.push([range[0], range[1]]);
    }
    this.written = merged;
  }

  async writev(buffers: Buffer[], position: number): Promise<void> {
    this.mark(position, position + buffers.reduce((sum, buffer) => sum + buffer.length, 0));
    let at = position;
    const sealed = buffers.map((buffer) => {
      const out = this.encryptAt(buffer, at);
      at += buffer.length;
      return out;
    });
    await this.handle.writev(sealed, position);
  }

  async write(buffer: Buffer, offset: number, length: number, position: number): Promise<void> {
    this.mark(position, position + length);
    const sealed = this.encryptAt(buffer.subarray(offset, offset + length), position);
    await this.handle.write(sealed, 0, sealed.length, position);
  }

  /**
   * Fills the gaps between written ranges with sealed zeros (a file hole would read back as zeros,
   * which decrypt to noise), then closes the file.
   */
  async close(): Promise<void> {
    try {
      let at = 0;
      for (const [start, end] of [...this.written]) {
        const chunk = 1024 * 1024;
        for (let gap = at; gap < start; gap += chunk) {
          const size = Math.min(chunk, start - gap);
          await this.write(Buffer.alloc(size), 0, size, gap);
        }
        at = end;
      }
    } finally {
      await this.handle.close();
    }
  }

  /** The plaintext, decrypted as it is read (after `close`). */
  plaintextStream(): Readable {
    const decipher = createDecipheriv('aes-256-ctr', this.key, this.counterAt(0));
    const source = createReadStream(this.path);
    const plain = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        done(null, decipher.update(chunk));
      },
      flush(done) {
        done(null, decipher.final());
      },
    });
    source.on('error', (error) => plain.destroy(error));
    return source.pipe(plain);
  }
}
