/**
 * The recovery key: 160 random bits a person saves or prints when the profile is created, so a
 * forgotten backup password does not mean every backup is lost. It wraps the data key a second time
 * (vault.ts). Written as eight groups of four characters from an alphabet without look-alikes, so
 * it can be typed back from paper; reading forgives case, spaces, dashes, O for 0 and I or L for 1.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { KEY_BYTES } from './crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const KEY_LENGTH = 20;

export function newRecoveryKey(): Buffer {
  return randomBytes(KEY_LENGTH);
}

/** Base32 (Crockford's alphabet) in groups of four: `7G2K-…`. */
export function formatRecoveryKey(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let text = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) text += ALPHABET[(value << (5 - bits)) & 31];
  return text.match(/.{1,4}/g)!.join('-');
}

/** The key's bytes, or undefined when the text is not a recovery key (wrong length or letters). */
export function parseRecoveryKey(text: string): Buffer | undefined {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (clean.length !== Math.ceil((KEY_LENGTH * 8) / 5)) return undefined;
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return undefined;
    value = (value << 5) | digit;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return bytes.length === KEY_LENGTH ? Buffer.from(bytes) : undefined;
}

/**
 * The key that wraps the data key. The recovery key is random (not chosen by a person), so a plain
 * HKDF is enough; the profile id is the salt, so one key cannot be tried against several profiles.
 */
export function recoveryWrapKey(keyBytes: Uint8Array, profileId: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', keyBytes, Buffer.from(profileId, 'utf8'), 'contacts-backup/recovery', KEY_BYTES),
  );
}
