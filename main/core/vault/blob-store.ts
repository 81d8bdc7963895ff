/**
 * Content-addressed encrypted blobs (photos): identical bytes are stored once. The id is an HMAC of
 * the bytes under a vault key, not a plain hash, so file names reveal nothing about the content.
 * Blobs are written before the index that references them (architecture.md): a crash leaves at most
 * unreferenced blobs, which `check --repair` removes.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { openBytes, sealBytes } from './sealed-file';
import { VaultError, vaultIoError } from './errors';
import { isIncompressible } from './incompressible';

const ID_PATTERN = /^[0-9a-f]{64}$/;

export class BlobStore {
  /** Prefix folders known to exist, so a backup of thousands of photos asks mkdir at most 256 times. */
  private readonly folders = new Set<string>();

  constructor(
    private readonly folder: string,
    private readonly key: Buffer,
    private readonly nameKey: Buffer,
  ) {}

  /** The id these bytes have (or would have) in this vault. */
  idOf(bytes: Uint8Array): string {
    return createHmac('sha256', this.nameKey).update(bytes).digest('hex');
  }

  private pathOf(id: string): string {
    if (!ID_PATTERN.test(id)) throw new VaultError('tampered', `Invalid blob id ${id.slice(0, 16)}.`);
    return join(this.folder, id.slice(0, 2), id);
  }

  /** Stores bytes unless already present; returns the id. */
  async put(bytes: Uint8Array): Promise<string> {
    return this.prepare(bytes).write();
  }

  /**
   * The id of these bytes now and their write for later: a backup names a photo in its contact at
   * once and writes it beside the reading (a few at a time), hashing the bytes once.
   */
  prepare(bytes: Uint8Array): { readonly id: string; readonly write: () => Promise<string> } {
    const id = this.idOf(bytes);
    return { id, write: () => this.write(id, bytes) };
  }

  private async write(id: string, bytes: Uint8Array): Promise<string> {
    const path = this.pathOf(id);
    if (await exists(path)) return id;
    const prefix = id.slice(0, 2);
    if (!this.folders.has(prefix)) {
      await mkdir(join(this.folder, prefix), { recursive: true });
      this.folders.add(prefix);
    }
    // No fsync per blob (thousands per backup); the index commit that follows is fsynced, and a blob
    // lost to a power cut is reported by `check` as a missing photo rather than corrupting anything.
    // A name of its own per write: two jobs storing the same photo at once must not share a temp file.
    const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(
        temporary,
        sealBytes(this.key, `blob/${id}`, bytes, { compress: !isIncompressible(bytes) }),
        { mode: 0o600 },
      );
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      this.folders.delete(prefix);
      throw vaultIoError(error, 'a photo in the backup');
    }
    return id;
  }

  async get(id: string): Promise<Buffer> {
    let file: Buffer;
    try {
      file = await readFile(this.pathOf(id));
    } catch (error) {
      throw vaultIoError(error, `Blob ${id.slice(0, 12)}`);
    }
    return openBytes(this.key, `blob/${id}`, file);
  }

  async has(id: string): Promise<boolean> {
    return exists(this.pathOf(id));
  }

  async delete(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }

  /** Every blob id on disk (for integrity checks and garbage collection). */
  async list(): Promise<string[]> {
    const ids: string[] = [];
    let prefixes: string[];
    try {
      prefixes = await readdir(this.folder);
    } catch {
      return ids;
    }
    for (const prefix of prefixes) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const name of await readdir(join(this.folder, prefix))) {
        if (ID_PATTERN.test(name)) ids.push(name);
      }
    }
    return ids;
  }

  /** Files that are not blobs (leftover temp files), for `check`. */
  async strayFiles(): Promise<string[]> {
    const stray: string[] = [];
    let prefixes: string[];
    try {
      prefixes = await readdir(this.folder);
    } catch {
      return stray;
    }
    for (const prefix of prefixes) {
      for (const name of await readdir(join(this.folder, prefix)).catch(() => [])) {
        if (!ID_PATTERN.test(name)) stray.push(join(prefix, name));
      }
    }
    return stray;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
