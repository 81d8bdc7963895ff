/**
 * The public half of the vendor's licence signing key, shipped in the app. The private half never
 * enters this repository: it lives with the vendor, who mints keys with scripts/make-licence.ts.
 */
import { readFileSync } from 'node:fs';

/** Ed25519 public key (SPKI PEM) that verifies production licence keys. */
export const PRODUCT_LICENCE_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAnLznHvhhMvlj3H0AH87WyCFL4wNX2/JWIYpOAJjWVvM=
-----END PUBLIC KEY-----
`;

/** Names a PEM file whose key replaces the product key, in test builds only. */
export const LICENCE_PUBLIC_KEY_ENV = 'CONTACTS_BACKUP_LICENCE_PUBLIC_KEY';

export interface LicencePublicKeyOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Whether {@link LICENCE_PUBLIC_KEY_ENV} is honoured. The host passes true only for test builds
   * (unpackaged Electron, the CLI and web host under tests): in a shipped app the override would let
   * anyone sign their own licences with a key pair of their own.
   */
  readonly allowOverride: boolean;
  readonly readFile?: (path: string) => string;
}

/**
 * The public key the app verifies licences with: the product key, or in a test build the key in the
 * PEM file named by CONTACTS_BACKUP_LICENCE_PUBLIC_KEY (so end-to-end tests can mint keys with
 * tests/fixtures/licensing/test-private-key.pem).
 */
export function licencePublicKey(options: LicencePublicKeyOptions): string {
  const path = (options.env ?? process.env)[LICENCE_PUBLIC_KEY_ENV];
  if (!options.allowOverride || !path) return PRODUCT_LICENCE_PUBLIC_KEY;
  const readFile = options.readFile ?? ((file: string) => readFileSync(file, 'utf8'));
  return readFile(path);
}
