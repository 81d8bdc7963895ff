import { afterAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Vault } from '../../../main/core/vault/vault';
import { VaultError } from '../../../main/core/vault/errors';
import { KDF_MINIMUM } from '../../../main/core/vault/crypto';
import { delayAfter, failuresSoFar, FREE_ATTEMPTS } from '../../../main/core/vault/unlock-attempts';
import { formatRecoveryKey, parseRecoveryKey } from '../../../main/core/vault/recovery-key';
import { assertStrongPassword, assessPassword } from '../../../main/core/vault/password-strength';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

const PASSWORD = 'correct horse battery';

async function keyFile(folder: string): Promise<Record<string, unknown> & { kdf: Record<string, unknown> }> {
  return JSON.parse(await readFile(join(folder, 'vault.json'), 'utf8')) as never;
}

async function failure(promise: Promise<unknown>): Promise<VaultError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(VaultError);
  return error as VaultError;
}

describe('key derivation', () => {
  it('creates vaults with scrypt at OWASP’s minimum (N=2^17, r=8, p=1)', async () => {
    const folder = await tempDir();
    await Vault.create(folder, 'p1', PASSWORD);
    const { kdf } = await keyFile(folder);
    expect(kdf).toMatchObject({ algorithm: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
  });

  it('refuses a cost above the cap with a sentence, before allocating anything', async () => {
    const folder = await tempDir();
    await Vault.create(folder, 'p1', PASSWORD);
    const file = await keyFile(folder);
    await writeFile(
      join(folder, 'vault.json'),
      JSON.stringify({ ...file, kdf: { ...file.kdf, N: 2 ** 30 } }),
    );
    const error = await failure(Vault.unlock(folder, PASSWORD));
    expect(error.code).toBe('tampered');
    expect(error.message).toMatch(/key derivation cost above the limit/);
    await writeFile(join(folder, 'vault.json'), JSON.stringify({ ...file, kdf: { ...file.kdf, r: 1000 } }));
    expect((await failure(Vault.unlock(folder, PASSWORD))).message).toMatch(/above the limit/);
    await writeFile(join(folder, 'vault.json'), JSON.stringify({ ...file, kdf: { ...file.kdf, N: 3000 } }));
    expect((await failure(Vault.unlock(folder, PASSWORD))).message).toMatch(/not valid/);
  });

  it('raises an old vault’s cost transparently at the next unlock, keeping its data', async () => {
    const folder = await tempDir();
    const vault = await Vault.create(folder, 'p1', PASSWORD);
    const db = await vault.database<{ n: number }>('settings', { n: 42 });
    await db.write();
    // Re-wrap as an older version did (N=2^16) by changing the stored parameters and wrap.
    const { deriveLegacy } = await legacyWrap(folder, vault);
    expect((await keyFile(folder)).kdf.N).toBe(2 ** 16);
    void deriveLegacy;
    const reopened = await Vault.unlock(folder, PASSWORD);
    expect((await keyFile(folder)).kdf).toMatchObject({ N: KDF_MINIMUM.N, r: 8, p: 1 });
    expect((await reopened.database<{ n: number }>('settings', { n: 0 })).data.n).toBe(42);
    await Vault.unlock(folder, PASSWORD);
  });
});

/** Writes vault.json as a vault made with N=2^16 would look (same data key). */
async function legacyWrap(folder: string, vault: Vault): Promise<{ deriveLegacy: true }> {
  const { derivePasswordKey, seal } = await import('../../../main/core/vault/crypto');
  const file = await keyFile(folder);
  const kdf = { algorithm: 'scrypt' as const, N: 2 ** 16, r: 8, p: 1, salt: String(file.kdf.salt) };
  const dataKey = Buffer.from(vault.exportKeyForKeychain(), 'base64');
  const wrapped = seal(await derivePasswordKey(PASSWORD, kdf), dataKey, `contacts-backup/data-key/v1/p1`);
  await writeFile(
    join(folder, 'vault.json'),
    JSON.stringify({ ...file, kdf, wrappedKey: wrapped.toString('base64') }),
  );
  return { deriveLegacy: true };
}

describe('wrong-password attempts', () => {
  it('waits longer after each wrong password beyond the free ones, up to a cap', () => {
    expect(delayAfter(FREE_ATTEMPTS - 1)).toBe(0);
    expect(delayAfter(FREE_ATTEMPTS)).toBe(1000);
    expect(delayAfter(FREE_ATTEMPTS + 3)).toBe(8000);
    expect(delayAfter(100)).toBe(5 * 60_000);
  });

  it('counts attempts on disk, so a new process per guess is slowed too', async () => {
    const folder = await tempDir();
    await Vault.create(folder, 'p1', PASSWORD);
    // Three wrong guesses, each in its own process.
    const script = fileURLToPath(new URL('./wrong-guess.fixture.ts', import.meta.url));
    for (let guess = 0; guess < FREE_ATTEMPTS + 1; guess += 1) {
      await promisify(execFile)(process.execPath, ['--import', 'tsx', script, folder]).catch(() => undefined);
    }
    expect(await failuresSoFar(folder)).toBe(FREE_ATTEMPTS + 1);
    // This process sees the count: right now, even the right password must wait (refused at once
    // when the wait is longer than the caller accepts).
    const error = await failure(Vault.unlock(folder, PASSWORD, { maxWaitMs: 0 }));
    expect(error.code).toBe('too-many-attempts');
    expect(error.message).toMatch(/Try again in \d+ seconds?/);
    // Once the wait has passed, the right password opens it and the count starts again.
    const later = Date.now() + delayAfter(FREE_ATTEMPTS + 1) + 1;
    await Vault.unlock(folder, PASSWORD, { now: () => later, maxWaitMs: 0 });
    expect(await failuresSoFar(folder)).toBe(0);
  });

  it('waits (rather than refusing) when the delay is short', async () => {
    const folder = await tempDir();
    await Vault.create(folder, 'p1', PASSWORD);
    for (let guess = 0; guess < FREE_ATTEMPTS; guess += 1) {
      await Vault.unlock(folder, 'wrong password here', { maxWaitMs: 60_000 }).catch(() => undefined);
    }
    const started = Date.now();
    await Vault.unlock(folder, PASSWORD, { maxWaitMs: 60_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(delayAfter(FREE_ATTEMPTS) - 50);
  });
});

describe('recovery key', () => {
  it('formats and parses keys, forgiving case, dashes and look-alike letters', () => {
    const bytes = Buffer.from('00112233445566778899aabbccddeeff01234567', 'hex');
    const text = formatRecoveryKey(bytes);
    expect(text).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
    expect(parseRecoveryKey(text)).toEqual(bytes);
    expect(parseRecoveryKey(text.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o'))).toEqual(bytes);
    expect(parseRecoveryKey('not a key')).toBeUndefined();
  });

  it('opens the vault and sets a new password; the old password and a wrong key do not work', async () => {
    const folder = await tempDir();
    const vault = await Vault.create(folder, 'p1', PASSWORD);
    const db = await vault.database<{ n: number }>('settings', { n: 7 });
    await db.write();
    expect(await vault.hasRecoveryKey()).toBe(false);
    const key = await vault.createRecoveryKey();
    expect(await vault.hasRecoveryKey()).toBe(true);
    expect(await readFile(join(folder, 'vault.json'), 'utf8')).not.toContain(key);
    const wrong = formatRecoveryKey(Buffer.alloc(20, 1));
    expect((await failure(Vault.unlockWithRecoveryKey(folder, wrong, 'a new long password'))).code).toBe(
      'wrong-password',
    );
    const opened = await Vault.unlockWithRecoveryKey(folder, key, 'a new long password');
    expect((await opened.database<{ n: number }>('settings', { n: 0 })).data.n).toBe(7);
    expect((await failure(Vault.unlock(folder, PASSWORD))).code).toBe('wrong-password');
    await Vault.unlock(folder, 'a new long password', { maxWaitMs: 60_000 });
  });
});

describe('password strength', () => {
  it('refuses "password" with the estimator’s sentence and accepts a few unrelated words', async () => {
    const error = await failure(assertStrongPassword('password'));
    expect(error.code).toBe('weak-password');
    expect(error.message).toMatch(/too easy to guess\. This is a heavily used password/);
    await expect(assertStrongPassword('a long backup password')).resolves.toBeUndefined();
    expect((await assessPassword('short')).acceptable).toBe(false);
    expect((await assessPassword('Wide river lamp 42')).score).toBeGreaterThanOrEqual(3);
  });
});
