/**
 * Offline-verified licence keys (issue 9). A key is a signed document, so the app can check it with no
 * server: the vendor signs the payload with an Ed25519 private key, the app ships only the public key.
 *
 * Key text: `CB1.<key id>.<payload>.<signature>`, each part base64url without padding.
 * - `CB1` is the format version; a future format gets a new prefix, so old apps say "malformed".
 * - key id: the first 8 bytes of SHA-256 over the signing public key (SPKI DER). It is not a secret and
 *   not a security check: it only lets the app tell "signed by another key" (a test key, another
 *   product's key) from "altered after signing", which support needs to know.
 * - payload: UTF-8 JSON of {@link Licence}.
 * - signature: Ed25519 over the ASCII bytes of `CB1.<key id>.<payload>`, so the version and key id are
 *   covered by the signature too.
 * Whitespace inside a pasted key (line breaks from e-mail) is ignored.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { licenceMessages } from './messages';

/** The product name a key must carry; a key for another product of the vendor is refused. */
export const LICENCE_PRODUCT = 'contacts-backup';

const FORMAT_PREFIX = 'CB1';
/** Far longer than any real key; stops a pasted file from being decoded and hashed. */
const MAX_KEY_LENGTH = 4096;
const ED25519_SIGNATURE_BYTES = 64;

export type Edition = 'personal' | 'business';

/** The signed facts of a licence. Dates are ISO strings so the value crosses IPC unchanged. */
export interface Licence {
  readonly product: typeof LICENCE_PRODUCT;
  readonly licensee: string;
  readonly edition: Edition;
  readonly seats: number;
  readonly issuedAt: string;
  readonly expiresAt: string;
  /** The vendor's identifier of this key, for support and revocation lists. */
  readonly id: string;
}

export type InvalidLicenceReason = 'malformed' | 'wrong-signature' | 'tampered' | 'wrong-product';

/**
 * The outcome of checking a key. An expired licence is still readable: the app shows who it was for and
 * when it ended, stops backups and keeps browse, restore and export working (see {@link allowedActions}).
 */
export type LicenceCheck =
  | { readonly status: 'valid'; readonly licence: Licence }
  | { readonly status: 'expired'; readonly licence: Licence }
  | { readonly status: 'invalid'; readonly reason: InvalidLicenceReason; readonly message: string }
  | { readonly status: 'none' };

/** What a licence state permits; `restore`, `export` and `browse` are never taken away. */
export interface AllowedActions {
  readonly backup: boolean;
  readonly restore: boolean;
  readonly export: boolean;
  readonly browse: boolean;
}

const payloadSchema = z.object({
  product: z.string(),
  licensee: z.string().trim().min(1),
  edition: z.enum(['personal', 'business']),
  seats: z.number().int().min(0).max(1_000_000),
  issuedAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }),
  id: z.string().min(1).max(200),
});

/**
 * Checks a licence key offline against the given public key. The public key is a parameter so the app
 * passes the product key and tests pass the test key (see public-key.ts). Bad key text never throws:
 * it is an `invalid` result with a sentence for the user. A bad `publicKeyPem` throws: that is a build
 * error, not something the user can fix.
 */
export function verifyLicence(keyText: string, publicKeyPem: string, now: Date): LicenceCheck {
  const compact = keyText.replace(/\s+/g, '');
  if (compact.length === 0) return { status: 'none' };
  if (compact.length > MAX_KEY_LENGTH) return invalid('malformed');

  const parts = compact.split('.');
  if (parts.length !== 4 || parts[0] !== FORMAT_PREFIX) return invalid('malformed');
  const [, keyId, payloadPart, signaturePart] = parts;
  const payloadBytes = decodeBase64Url(payloadPart);
  const signature = decodeBase64Url(signaturePart);
  if (!payloadBytes || !signature || signature.length !== ED25519_SIGNATURE_BYTES || !isBase64Url(keyId)) {
    return invalid('malformed');
  }

  const publicKey = createPublicKey(publicKeyPem);
  const signedBytes = Buffer.from(`${FORMAT_PREFIX}.${keyId}.${payloadPart}`, 'ascii');
  // Security check: nothing in the payload is believed before the signature is verified.
  if (!verify(null, signedBytes, publicKey, signature)) {
    return invalid(keyId === keyIdOf(publicKey) ? 'tampered' : 'wrong-signature');
  }

  let json: unknown;
  try {
    json = JSON.parse(payloadBytes.toString('utf8'));
  } catch {
    return invalid('malformed');
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return invalid('malformed');
  if (parsed.data.product !== LICENCE_PRODUCT) return invalid('wrong-product');

  const licence: Licence = { ...parsed.data, product: LICENCE_PRODUCT };
  return now.getTime() >= Date.parse(licence.expiresAt)
    ? { status: 'expired', licence }
    : { status: 'valid', licence };
}

/**
 * Signs a licence into key text. Used by the vendor's scripts/make-licence.ts and by tests; the app
 * itself never holds a private key, so in the app this function is dead code by construction.
 */
export function signLicence(licence: Licence, privateKeyPem: string): string {
  const privateKey = createPrivateKey(privateKeyPem);
  const keyId = keyIdOf(createPublicKey(privateKey));
  const payloadPart = Buffer.from(JSON.stringify(licence), 'utf8').toString('base64url');
  const signedText = `${FORMAT_PREFIX}.${keyId}.${payloadPart}`;
  const signature = sign(null, Buffer.from(signedText, 'ascii'), privateKey);
  return `${signedText}.${signature.toString('base64url')}`;
}

/**
 * What the app may do in a licence state. Backups need a valid licence; restore, export and browse
 * always work, because the user's own backed-up data is never held hostage by an expired or missing key.
 * Own accounts in the personal edition need no licence at all: seats.ts `canBackUp` decides per user.
 */
export function allowedActions(check: LicenceCheck): AllowedActions {
  return { backup: check.status === 'valid', restore: true, export: true, browse: true };
}

function invalid(reason: InvalidLicenceReason): LicenceCheck {
  return { status: 'invalid', reason, message: licenceMessages.invalid[reason] };
}

function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest().subarray(0, 8).toString('base64url');
}

function isBase64Url(text: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(text);
}

/** Strict base64url: Node's decoder silently skips bad characters, which would hide tampering. */
function decodeBase64Url(text: string): Buffer | undefined {
  return isBase64Url(text) ? Buffer.from(text, 'base64url') : undefined;
}
