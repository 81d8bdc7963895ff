/**
 * Sealed files: every vault file on disk is AES-256-GCM sealed and written atomically
 * (temp file, fsync, rename, fsync of the folder), so a crash or a full disk leaves the previous
 * version intact and a reader never sees half a file.
 *
 * Layout: "CBSF" | version (1) | flags (1) | reserved (2) | IV | tag | ciphertext.
 * The associated data binds the file to its logical name, so files cannot be swapped.
 */
import { open as openFile, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { deflateRaw, deflateRawSync, inflateRaw, inflateRawSync } from 'node:zlib';
import type { Adapter } from 'lowdb';
import { open, openInPieces, seal, PIECE_BYTES, sealStream } from './crypto';
import { VaultError, vaultIoError } from './errors';

const MAGIC = Buffer.from('CBSF', 'ascii');
const FORMAT_VERSION = 1;
const FLAG_DEFLATED = 1;
const HEADER_BYTES = 8;
/** Below this size compression costs more than it saves. */
const COMPRESS_FROM = 4096;

/** Writes bytes to `path` so that either the old or the new content is there after any crash. */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  await writeFileAtomicWith(path, (handle) => handle.writeFile(data));
}

/** `writeFileAtomic` for content that `fill` writes into the open temporary file piece by piece. */
async function writeFileAtomicWith(path: string, fill: (handle: FileHandle) => Promise<void>): Promise<void> {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  let handle;
  try {
    handle = await openFile(temporary, 'w', 0o600);
    await fill(handle);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
    await syncFolder(dirname(path));
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    throw vaultIoError(error, basename(path));
  }
}

/** Writes all of `bytes` at `position` (a write may take fewer bytes than it is given). */
async function writeAllAt(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/** Makes a rename durable (POSIX needs the folder fsynced); a no-op where folders cannot be opened. */
async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await openFile(folder, 'r');
    await handle.sync();
  } catch {
    // Windows cannot fsync a directory; the rename is still atomic there.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Encrypts a value to the sealed-file format. `name` is the file's logical name (its purpose).
 * `compress: false` skips deflate (for bytes that are compressed already, such as JPEG photos).
 */
export function sealBytes(
  key: Buffer,
  name: string,
  plaintext: Uint8Array,
  options: { readonly compress?: boolean } = {},
): Buffer {
  const compress = (options.compress ?? true) && plaintext.length >= COMPRESS_FROM;
  const flags = compress ? FLAG_DEFLATED : 0;
  // Level 1 by measurement (a 4.2 MB history segment, issue 20): 21 ms to 21 % of the size; level 3
  // 41 ms to 19 %; level 6 160 ms to 16 %. The smaller body also makes the encryption cheaper.
  const body = compress ? deflateRawSync(plaintext, { level: 1 }) : plaintext;
  const header = Buffer.from([...MAGIC, FORMAT_VERSION, flags, 0, 0]);
  return Buffer.concat([header, seal(key, body, aad(name, flags))]);
}

const deflateOffThread = promisify(deflateRaw);
const inflateOffThread = promisify(inflateRaw);

/**
 * `sealBytes` with deflate on the thread pool (issue 16 item 4): deflating a 4 MB segment or a
 * catalog holding a vCard cursor took 100-200 ms of the API thread during a backup. Same format.
 */
export async function sealBytesOffThread(key: Buffer, name: string, plaintext: Uint8Array): Promise<Buffer> {
  if (plaintext.length < COMPRESS_FROM) return sealBytes(key, name, plaintext);
  // Level 1: see sealBytes.
  const body = await deflateOffThread(plaintext, { level: 1 });
  const header = Buffer.from([...MAGIC, FORMAT_VERSION, FLAG_DEFLATED, 0, 0]);
  return Buffer.concat([header, seal(key, body, aad(name, FLAG_DEFLATED))]);
}

/** `openBytes` with inflate on the thread pool (reading the history after unlocking). */
export async function openBytesOffThread(key: Buffer, name: string, file: Uint8Array): Promise<Buffer> {
  const { flags, body } = decrypt(key, name, file);
  if (!(flags & FLAG_DEFLATED)) return body;
  try {
    return await inflateOffThread(body);
  } catch {
    throw new VaultError('tampered', `${name} failed its integrity check (changed, damaged or not ours).`);
  }
}

/** Decrypts the sealed-file format, telling truncation, tampering and unknown versions apart. */
export function openBytes(key: Buffer, name: string, file: Uint8Array): Buffer {
  const { flags, body } = decrypt(key, name, file);
  return flags & FLAG_DEFLATED ? inflateRawSync(body) : body;
}

function decrypt(key: Buffer, name: string, file: Uint8Array): { flags: number; body: Buffer } {
  const buffer = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buffer.length < HEADER_BYTES) throw new VaultError('truncated', `${name} is truncated.`);
  if (!buffer.subarray(0, 4).equals(MAGIC)) {
    throw new VaultError('tampered', `${name} is not a Contacts Backup vault file.`);
  }
  const version = buffer[4];
  if (version !== FORMAT_VERSION) {
    throw new VaultError(
      'unsupported-version',
      `${name} was written by a newer or unknown version (format ${version}); update Contacts Backup.`,
    );
  }
  const flags = buffer[5];
  return { flags, body: open(key, buffer.subarray(HEADER_BYTES), aad(name, flags), name) };
}

/** Awaited between pieces of a long encryption; resolves at once until the caller's slice is spent. */
export type PieceGap = () => Promise<void> | undefined;

/**
 * A sealed file (no deflate) written atomically to `path` while `produce` makes its content: each
 * `write` is encrypted and written at once, a few megabytes at a time with `gap()` awaited between
 * pieces (at 60 MB, one piece held the thread 130-220 ms), so the content is never held whole nor
 * twice (issue 20). The file is byte for byte the format `openBytes` reads.
 */
export async function writeSealedStream(
  key: Buffer,
  name: string,
  path: string,
  gap: PieceGap,
  produce: (write: (bytes: Uint8Array) => Promise<void>) => Promise<void>,
): Promise<void> {
  await writeFileAtomicWith(path, async (handle) => {
    const stream = sealStream(key, aad(name, 0));
    let position = 0;
    const put = async (bytes: Uint8Array) => {
      await writeAllAt(handle, bytes, position);
      position += bytes.length;
    };
    await put(Buffer.from([...MAGIC, FORMAT_VERSION, 0, 0, 0]));
    await put(stream.start);
    let sinceGap = 0;
    await produce(async (bytes) => {
      for (let from = 0; from < bytes.length; from += PIECE_BYTES) {
        const piece = bytes.subarray(from, from + PIECE_BYTES);
        await put(stream.update(piece));
        sinceGap += piece.length;
        if (sinceGap >= PIECE_BYTES) {
          sinceGap = 0;
          await gap();
        }
      }
    });
    const { last, tag } = stream.finish();
    if (last.length) await put(last);
    await writeAllAt(handle, tag, HEADER_BYTES + stream.tagOffset);
  });
}

/**
 * `openBytes` in pieces, for files written by `writeSealedStream` (never deflated: inflating is one
 * piece). Nothing decrypted is returned before the whole file passed its tag check.
 */
export async function openBytesSliced(
  key: Buffer,
  name: string,
  file: Uint8Array,
  gap: PieceGap,
): Promise<Buffer> {
  const buffer = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buffer.length < HEADER_BYTES) throw new VaultError('truncated', `${name} is truncated.`);
  if (!buffer.subarray(0, 4).equals(MAGIC)) {
    throw new VaultError('tampered', `${name} is not a Contacts Backup vault file.`);
  }
  if (buffer[4] !== FORMAT_VERSION) {
    throw new VaultError(
      'unsupported-version',
      `${name} was written by a newer or unknown version (format ${buffer[4]}); update Contacts Backup.`,
    );
  }
  const flags = buffer[5];
  if (flags & FLAG_DEFLATED) return openBytes(key, name, file);
  return openInPieces(key, buffer.subarray(HEADER_BYTES), aad(name, flags), name, gap);
}

function aad(name: string, flags: number): string {
  return `contacts-backup/sealed-file/v${FORMAT_VERSION}/${name}/${flags}`;
}

/** Reads and opens a sealed JSON file; undefined when it does not exist yet. */
export async function readSealedJson<T>(key: Buffer, path: string, name: string): Promise<T | undefined> {
  let file: Buffer;
  try {
    file = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw vaultIoError(error, name);
  }
  const text = (await openBytesOffThread(key, name, file)).toString('utf8');
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new VaultError('tampered', `${name} holds data that is not valid JSON.`);
  }
}

/** Seals and atomically writes a JSON value. */
export async function writeSealedJson(
  key: Buffer,
  path: string,
  name: string,
  value: unknown,
): Promise<void> {
  await writeFileAtomic(
    path,
    await sealBytesOffThread(key, name, Buffer.from(JSON.stringify(value), 'utf8')),
  );
}

/**
 * A lowdb adapter over a sealed file: lowdb keeps its simple read()/write() model while every byte on
 * disk is encrypted and every write is atomic (style.md: DataFile-like hooks are the place for this).
 */
export class SealedJsonAdapter<T> implements Adapter<T> {
  constructor(
    private readonly key: Buffer,
    private readonly path: string,
    private readonly name: string,
  ) {}

  async read(): Promise<T | null> {
    return (await readSealedJson<T>(this.key, this.path, this.name)) ?? null;
  }

  async write(data: T): Promise<void> {
    await writeSealedJson(this.key, this.path, this.name, data);
  }
}
