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

/**
 * Cost at OWASP's minimum for scrypt (N=2^17, r=8, p=1: 128 MiB, about 0.3-0.5 s): slow for
 * guessing, still quick enough for an unlock. Vaults with a lower cost are raised at the next unlock.
 */
export const KDF_MINIMUM = { N: 2 ** 17, r: 8, p: 1 } as const;

/**
 * The highest cost a vault file may ask for. `vault.json` is plain text: without a cap a changed N
 * (2^30) would make every unlock allocate terabytes and end in "malloc failure".
 */
export const KDF_MAXIMUM = { N: 2 ** 20, r: 16, p: 4 } as const;

export function defaultKdfParams(): KdfParams {
  return { algorithm: 'scrypt', ...KDF_MINIMUM, salt: randomBytes(16).toString('base64') };
}

/** True when the parameters are below today's minimum (raised transparently at the next unlock). */
export function kdfBelowMinimum(params: KdfParams): boolean {
  return params.N < KDF_MINIMUM.N || params.r < KDF_MINIMUM.r;
}

/** Refuses parameters out of bounds with a sentence, before any memory is allocated for them. */
export function checkKdfParams(params: KdfParams): void {
  const integer = (value: unknown) => typeof value === 'number' && Number.isInteger(value);
  if (params?.algorithm !== 'scrypt' || !integer(params.N) || !integer(params.r) || !integer(params.p)) {
    throw new VaultError('unsupported-version', 'The vault uses an unknown key derivation.');
  }
  const powerOfTwo = (params.N & (params.N - 1)) === 0;
  if (params.N < 2 ** 10 || !powerOfTwo || params.r < 1 || params.p < 1) {
    throw new VaultError('tampered', 'The vault key file names key derivation settings that are not valid.');
  }
  if (params.N > KDF_MAXIMUM.N || params.r > KDF_MAXIMUM.r || params.p > KDF_MAXIMUM.p) {
    throw new VaultError(
      'tampered',
      `The vault key file asks for a key derivation cost above the limit (N ${params.N}, r ${params.r}, p ${params.p}; at most N ${KDF_MAXIMUM.N}, r ${KDF_MAXIMUM.r}, p ${KDF_MAXIMUM.p}): it was changed or damaged.`,
    );
  }
  if (typeof params.salt !== 'string' || Buffer.from(params.salt, 'base64').length < 16) {
    throw new VaultError('tampered', 'The vault key file has no valid salt.');
  }
}

/** Derives the key-encryption key from the backup password. */
export function derivePasswordKey(password: string, params: KdfParams): Promise<Buffer> {
  try {
    checkKdfParams(params);
  } catch (error) {
    return Promise.reject(error as Error);
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
export function subKey(dataKey: Buffer, purpose: 'files' | 'blob-names' | 'blobs' | 'vault-state'): Buffer {
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

/** The decipher of a sealed buffer (IV, tag and associated data set) and its encrypted body. */
function decipherOf(key: Buffer, sealed: Uint8Array, associatedData: string, what: string) {
  if (sealed.length < IV_BYTES + TAG_BYTES) {
    throw new VaultError('truncated', `${what} is truncated.`);
  }
  const buffer = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const decipher = createDecipheriv('aes-256-gcm', key, buffer.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(buffer.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return { decipher, body: buffer.subarray(IV_BYTES + TAG_BYTES) };
}

/** Decrypts what seal wrote; a wrong key or any changed byte fails the GCM tag check. */
export function open(key: Buffer, sealed: Uint8Array, associatedData: string, what: string): Buffer {
  const { decipher, body } = decipherOf(key, sealed, associatedData, what);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new VaultError('tampered', `${what} failed its integrity check (changed, damaged or not ours).`);
  }
}

/** Bytes encrypted or decrypted between two gaps (a few milliseconds of AES-GCM). */
export const PIECE_BYTES = 2 * 2 ** 20;

/**
 * `seal` as a stream, for a file written while its content is still being made (the search table,
 * hundreds of megabytes at 100,000 contacts, is never held whole: issue 20). `start` is written
 * first (the IV and a zeroed tag), then what `update` returns for each piece in order; `finish`
 * gives the tag that belongs `tagOffset` bytes after the start. The file is the format `open` reads.
 */
export function sealStream(key: Buffer, associatedData: string) {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  return {
    start: Buffer.concat([iv, Buffer.alloc(TAG_BYTES)]),
    tagOffset: IV_BYTES,
    // AES-GCM is a stream mode: each piece's ciphertext is as long as the piece.
    update: (piece: Uint8Array): Buffer => cipher.update(piece),
    finish: (): { last: Buffer; tag: Buffer } => {
      const last = cipher.final();
      return { last, tag: cipher.getAuthTag() };
    },
  };
}

/**
 * `open` in pieces with `gap()` awaited between them. The plaintext is returned only after the tag
 * check at the end, so no caller ever sees bytes of a changed file.
 */
export async function openInPieces(
  key: Buffer,
  sealed: Uint8Array,
  associatedData: string,
  what: string,
  gap: () => Promise<void> | undefined,
): Promise<Buffer> {
  const { decipher, body } = decipherOf(key, sealed, associatedData, what);
  const out = Buffer.allocUnsafe(body.length);
  let filled = 0;
  try {
    for (let from = 0; from < body.length; from += PIECE_BYTES) {
      filled += decipher.update(body.subarray(from, from + PIECE_BYTES)).copy(out, filled);
      await gap();
    }
    filled += decipher.final().copy(out, filled);
  } catch {
    throw new VaultError('tampered', `${what} failed its integrity check (changed, damaged or not ours).`);
  }
  return out.subarray(0, filled);
}

/** Constant-time comparison for secrets. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function randomKey(): Buffer {
  return randomBytes(KEY_BYTES);
}
