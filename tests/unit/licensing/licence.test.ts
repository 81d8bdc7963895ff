import { generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  signLicence,
  verifyLicence,
  type Licence,
  type LicenceCheck,
} from '../../../main/core/licensing/licence';
import {
  LICENCE_PUBLIC_KEY_ENV,
  PRODUCT_LICENCE_PUBLIC_KEY,
  licencePublicKey,
} from '../../../main/core/licensing/public-key';

const fixtures = fileURLToPath(new URL('../../fixtures/licensing/', import.meta.url));
const privateKey = readFileSync(`${fixtures}test-private-key.pem`, 'utf8');
const publicKey = readFileSync(`${fixtures}test-public-key.pem`, 'utf8');
const now = new Date('2026-06-01T12:00:00Z');

const licence: Licence = {
  product: 'contacts-backup',
  licensee: 'Acme Ltd',
  edition: 'business',
  seats: 5,
  issuedAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2027-01-01T00:00:00.000Z',
  id: 'lic-0001',
};

function reasonOf(check: LicenceCheck): string | undefined {
  return check.status === 'invalid' ? check.reason : undefined;
}

/** Replaces one character of a base64url part with another valid one. */
function flipCharacter(part: string, index: number): string {
  const replacement = part[index] === 'A' ? 'B' : 'A';
  return part.slice(0, index) + replacement + part.slice(index + 1);
}

describe('verifyLicence', () => {
  it('accepts a key signed with the matching key and returns its licence', () => {
    const check = verifyLicence(signLicence(licence, privateKey), publicKey, now);
    expect(check).toEqual({ status: 'valid', licence });
    expect(allowedActions(check)).toEqual({ backup: true, restore: true, export: true, browse: true });
  });

  it('ignores whitespace and line breaks of a pasted key', () => {
    const key = signLicence(licence, privateKey);
    const pasted = `  ${key.slice(0, 40)}\n${key.slice(40, 90)}\r\n ${key.slice(90)}\n`;
    expect(verifyLicence(pasted, publicKey, now).status).toBe('valid');
  });

  it('reports an expired licence readably: backups stop, restore, export and browse keep working', () => {
    const check = verifyLicence(
      signLicence(licence, privateKey),
      publicKey,
      new Date('2027-01-01T00:00:00Z'),
    );
    expect(check).toEqual({ status: 'expired', licence });
    expect(allowedActions(check)).toEqual({ backup: false, restore: true, export: true, browse: true });
  });

  it('refuses a key whose payload was changed after signing', () => {
    const [prefix, keyId, , signature] = signLicence(licence, privateKey).split('.');
    const forged = Buffer.from(JSON.stringify({ ...licence, seats: 500 })).toString('base64url');
    const check = verifyLicence([prefix, keyId, forged, signature].join('.'), publicKey, now);
    expect(reasonOf(check)).toBe('tampered');
    expect(check.status === 'invalid' && check.message).toMatch(/changed since it was issued/);
    expect(allowedActions(check).backup).toBe(false);
  });

  it('refuses a key whose signature was changed', () => {
    const parts = signLicence(licence, privateKey).split('.');
    parts[3] = flipCharacter(parts[3], 10);
    expect(reasonOf(verifyLicence(parts.join('.'), publicKey, now))).toBe('tampered');
  });

  it('refuses a key signed with another key pair (e.g. a test key in the shipped app)', () => {
    const other = generateKeyPairSync('ed25519');
    const key = signLicence(licence, other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    expect(reasonOf(verifyLicence(key, publicKey, now))).toBe('wrong-signature');
    expect(reasonOf(verifyLicence(signLicence(licence, privateKey), PRODUCT_LICENCE_PUBLIC_KEY, now))).toBe(
      'wrong-signature',
    );
  });

  it('refuses a correctly signed key for another product', () => {
    const key = signLicence({ ...licence, product: 'photos-backup' } as unknown as Licence, privateKey);
    expect(reasonOf(verifyLicence(key, publicKey, now))).toBe('wrong-product');
  });

  it.each([
    ['random text', 'hello world'],
    ['a wrong prefix', 'CB2.a.b.c'],
    ['missing parts', 'CB1.abc.def'],
    ['characters outside base64url', 'CB1.abc.de+f.ghi'],
    ['a short signature', 'CB1.abc.eyJ9.AAAA'],
    ['a very long text', `CB1.${'A'.repeat(5000)}`],
  ])('calls %s malformed', (_label, text) => {
    expect(reasonOf(verifyLicence(text, publicKey, now))).toBe('malformed');
  });

  it('calls a signed payload that is not a licence malformed', () => {
    const key = signLicence({ ...licence, seats: -1 }, privateKey);
    expect(reasonOf(verifyLicence(key, publicKey, now))).toBe('malformed');
  });

  it('treats an empty key as no licence', () => {
    const check = verifyLicence('  \n', publicKey, now);
    expect(check).toEqual({ status: 'none' });
    expect(allowedActions(check)).toEqual({ backup: false, restore: true, export: true, browse: true });
  });
});

describe('licencePublicKey', () => {
  const env = { [LICENCE_PUBLIC_KEY_ENV]: '/keys/test.pem' };
  const readFile = (path: string) => `key from ${path}`;

  it('uses the product key by default', () => {
    expect(licencePublicKey({ env: {}, allowOverride: true, readFile })).toBe(PRODUCT_LICENCE_PUBLIC_KEY);
  });
  it('uses the key named by the environment in a test build', () => {
    expect(licencePublicKey({ env, allowOverride: true, readFile })).toBe('key from /keys/test.pem');
  });
  it('ignores the environment in a shipped build', () => {
    expect(licencePublicKey({ env, allowOverride: false, readFile })).toBe(PRODUCT_LICENCE_PUBLIC_KEY);
  });
});

describe('scripts/make-licence.ts', () => {
  it('prints a key that the test public key verifies', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const output = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/make-licence.ts',
        '--private-key',
        `${fixtures}test-private-key.pem`,
        '--licensee',
        'Script Test',
        '--edition',
        'business',
        '--seats',
        '3',
        '--expires',
        '2030-01-01T00:00:00Z',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    const check = verifyLicence(output, publicKey, now);
    expect(check.status).toBe('valid');
    expect(check.status === 'valid' && check.licence).toMatchObject({
      licensee: 'Script Test',
      edition: 'business',
      seats: 3,
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
  });
});
