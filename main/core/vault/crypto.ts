/**
 * The vault's cryptography in one place, so every file uses the same construction:
 * AES-256-GCM with a random 96-bit IV per write, and associated data that binds a ciphertext to its
 * purpose (a sealed file cannot be swapped for another file of the vault without detection).
 */
import {
  createCipheriv,
  createDecipheriv,
  hkdfSync,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';
import { VaultError } from './errors';

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** scrypt cost, stored with the vault so it can be raised later without breaking old vaults. */
export interface KdfParams {
  readonly algorithm: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  /** base64 */
  readonly salt: string;
}

/** Cost chosen for about 100-200 ms on a laptop: slow for guessing, quick enough for unlock. */
export function defaultKdfParams(): KdfParams {
  return { algorithm: 'scrypt', N: 2 ** 16, r: 8, p: 1, salt: randomBytes(16).toString('base64') };
}

/** Derives the key-encryption key from the backup password. */
export function derivePasswordKey(password: string, params: KdfParams): Promise<Buffer> {
  if (params.algorithm !== 'scrypt' || params.N < 2 ** 10 || params.r < 1 || params.p < 1) {
    return Promise.reject(new VaultError('unsupported-version', 'The vault uses an unknown key derivation.'));
  }
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      Buffer.from(params.salt, 'base64'),
      KEY_BYTES,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** Separate keys per use from the one data key (files, blob names), so one use cannot attack another. */
export function subKey(dataKey: Buffer, purpose: 'files' | 'blob-names' | 'blobs'): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `contacts-backup/${purpose}`, KEY_BYTES));
}

/** Encrypts: output is IV | tag | ciphertext. */
export function seal(key: Buffer, plaintext: Uint8Array, associatedData: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Decrypts what seal wrote; a wrong key or any changed byte fails the GCM tag check. */
export function open(key: Buffer, sealed: Uint8Array, associatedData: string, what: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) {
    throw new VaultError('truncated', `${what} is truncated.`);
  }
  const buffer = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const decipher = createDecipheriv('aes-256-gcm', key, buffer.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(buffer.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(buffer.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new VaultError('tampered', `${what} failed its integrity check (changed, damaged or not ours).`);
  }
}

/** Constant-time comparison for secrets. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function randomKey(): Buffer {
  return randomBytes(KEY_BYTES);
}
