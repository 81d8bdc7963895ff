import { afterAll, describe, expect, it } from 'vitest';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Vault } from '../../../main/core/vault/vault';
import { VaultError } from '../../../main/core/vault/errors';
import { Profiles } from '../../../main/core/vault/profiles';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

async function listFiles(folder: string): Promise<Record<string, Buffer>> {
  const result: Record<string, Buffer> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      result[path] = await readFile(path);
    }
  }
  return result;
}

async function expectVaultError(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(VaultError);
  expect((error as VaultError).code).toBe(code);
}

describe('vault', () => {
  it('seals lowdb files so no plain text reaches the disk, and reopens them with the password', async () => {
    const folder = await tempDir();
    const vault = await Vault.create(folder, 'p1', 'correct horse battery');
    const db = await vault.database<{ names: string[] }>('accounts', { names: [] });
    db.data.names.push('Ünïcode Secret Name', 'jane@example.org');
    await db.write();
    for (const content of Object.values(await listFiles(folder))) {
      expect(content.includes(Buffer.from('Secret Name'))).toBe(false);
      expect(content.includes(Buffer.from('jane@example.org'))).toBe(false);
    }
    const reopened = await Vault.unlock(folder, 'correct horse battery');
    const again = await reopened.database<{ names: string[] }>('accounts', { names: [] });
    expect(again.data.names).toEqual(['Ünïcode Secret Name', 'jane@example.org']);
  });

  it('refuses a wrong password and changes nothing on disk', async () => {
    const folder = await tempDir();
    const vault = await Vault.create(folder, 'p1', 'correct horse battery');
    const db = await vault.database<{ n: number }>('settings', { n: 1 });
    await db.write();
    const before = await listFiles(folder);
    await expectVaultError(Vault.unlock(folder, 'wrong password!'), 'wrong-password');
    // Only the wrong-attempt count (unlock-attempts.json, no secret) is written.
    const after = await listFiles(folder);
    delete after[join(folder, 'unlock-attempts.json')];
    expect(after).toEqual(before);
  });

  it('detects a flipped byte, a truncated file and an unknown format version', async () => {
    const folder = await tempDir();
    const vault = await Vault.create(folder, 'p1', 'correct horse battery');
    const db = await vault.database<{ text: string }>('catalog', { text: 'x'.repeat(10_000) });
    await db.write();
    const path = vault.pathOf('catalog');
    const original = await readFile(path);

    const flipped = Buffer.from(original);
    flipped[flipped.length - 5] ^= 0x01;
    await writeFile(path, flipped);
    await expectVaultError(vault.database('catalog', {}), 'tampered');

    await writeFile(path, original.subarray(0, 20));
    await expectVaultError(vault.database('catalog', {}), 'truncated');

    const newer = Buffer.from(original);
    newer[4] = 9;
    await writeFile(path, newer);
    await expectVaultError(vault.database('catalog', {}), 'unsupported-version');

    await writeFile(path, original);
    expect((await vault.database<{ text: string }>('catalog', { text: '' })).data.text).toHaveLength(10_000);
  });

  it('refuses a file moved under another name (associated data binds the name)', async () => {
    const folder = await tempDir();
    const vault = await Vault.create(folder, 'p1', 'correct horse battery');
    await (await vault.database('accounts', { a: 1 })).write();
    await writeFile(vault.pathOf('settings'), await readFile(vault.pathOf('accounts')));
    await expectVaultError(vault.database('settings', {}), 'tampered');
  });

  it('rejects an unsupported vault version and a damaged key file', async () => {
    const folder = await tempDir();
    await Vault.create(folder, 'p1', 'correct horse battery');
    const keyFile = JSON.parse(await readFile(join(folder, 'vault.json'), 'utf8'));
    await writeFile(join(folder, 'vault.json'), JSON.stringify({ ...keyFile, version: 2 }));
    await expectVaultError(Vault.unlock(folder, 'correct horse battery'), 'unsupported-version');
    await writeFile(join(folder, 'vault.json'), '{"format":');
    await expectVaultError(Vault.unlock(folder, 'correct horse battery'), 'truncated');
  });

  it('changes the password by re-wrapping the key only', async () => {
    const folder = await tempDir();
    const vault = await Vault.create(folder, 'p1', 'correct horse battery');
    await (await vault.database('accounts', { kept: true })).write();
    const sealedBefore = await readFile(vault.pathOf('accounts'));
    await vault.changePassword('correct horse battery', 'new password 123');
    expect(await readFile(vault.pathOf('accounts'))).toEqual(sealedBefore);
    await expectVaultError(Vault.unlock(folder, 'correct horse battery'), 'wrong-password');
    const reopened = await Vault.unlock(folder, 'new password 123');
    expect((await reopened.database('accounts', {})).data).toEqual({ kept: true });
  });

  it('unlocks with a remembered key and refuses a key that is not this vault’s', async () => {
    const folder = await tempDir();
    const vault = await Vault.create(folder, 'p1', 'correct horse battery');
    await (await vault.database('probe', { probe: 'ok' })).write();
    const key = vault.exportKeyForKeychain();
    await expect(Vault.unlockWithKey(folder, key)).resolves.toBeInstanceOf(Vault);
    await expectVaultError(Vault.unlockWithKey(folder, Buffer.alloc(32, 7).toString('base64')), 'tampered');
  });

  it('stores photos once, encrypted, under names that do not reveal the content', async () => {
    const folder = await tempDir();
    const vault = await Vault.create(folder, 'p1', 'correct horse battery');
    const photo = Buffer.from('pretend this is a JPEG with a recognisable marker');
    const id = await vault.blobs.put(photo);
    expect(await vault.blobs.put(photo)).toBe(id);
    expect(await vault.blobs.list()).toEqual([id]);
    expect(await vault.blobs.get(id)).toEqual(photo);
    const files = Object.values(await listFiles(join(folder, 'blobs')));
    expect(files.some((file) => file.includes(Buffer.from('recognisable marker')))).toBe(false);
    const { createHash } = await import('node:crypto');
    expect(id).not.toBe(createHash('sha256').update(photo).digest('hex'));
  });

  it('stores a JPEG photo without deflate and a compressible blob deflated; both round-trip', async () => {
    const folder = await tempDir();
    const vault = await Vault.create(folder, 'p1', 'correct horse battery');
    const { randomBytes } = await import('node:crypto');
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(20_000)]);
    const text = Buffer.from('BEGIN:VCARD\r\n'.repeat(2000));
    const jpegId = await vault.blobs.put(jpeg);
    const textId = await vault.blobs.put(text);
    expect(await vault.blobs.get(jpegId)).toEqual(jpeg);
    expect(await vault.blobs.get(textId)).toEqual(text);
    const sealed = async (id: string) => readFile(join(folder, 'blobs', id.slice(0, 2), id));
    // Header byte 5 holds the flags; 1 means deflated.
    expect((await sealed(jpegId))[5]).toBe(0);
    expect((await sealed(textId))[5]).toBe(1);
    expect((await sealed(textId)).length).toBeLessThan(text.length / 10);
  });

  it('locks: keys are forgotten and further access is refused', async () => {
    const folder = await tempDir();
    const vault = await Vault.create(folder, 'p1', 'correct horse battery');
    vault.lock();
    await expectVaultError(vault.database('accounts', {}), 'locked');
  });
});

describe('profiles', () => {
  it('keeps each profile in its own vault: one profile’s key cannot open another’s files', async () => {
    const home = await tempDir();
    const profiles = new Profiles(home);
    const alice = await profiles.create('Alice', 'alice password');
    const bob = await profiles.create('Bob', 'bob password 1');
    await (await alice.vault.database('accounts', { owner: 'alice' })).write();
    expect((await profiles.list()).map((profile) => profile.name)).toEqual(['Alice', 'Bob']);
    await expectVaultError(profiles.unlock(alice.profile.id, 'bob password 1'), 'wrong-password');
    // Bob's key against Alice's file: the GCM tag fails.
    await (await bob.vault.database('accounts', { owner: 'bob' })).write();
    const aliceFile = await readFile(alice.vault.pathOf('accounts'));
    await writeFile(bob.vault.pathOf('accounts'), aliceFile);
    await expectVaultError(bob.vault.database('accounts', {}), 'tampered');
    await expect(profiles.create('alice', 'another password')).rejects.toThrow(/already exists/);
  });
});
