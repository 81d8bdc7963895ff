/** safe-storage-secrets.ts with `electron` mocked: the fixed-key `basic_text` backend is refused (issue 18 item 7). */
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

const storage = vi.hoisted(() => ({
  available: true,
  backend: 'gnome_libsecret',
}));

vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => storage.available,
    getSelectedStorageBackend: () => storage.backend,
    encryptString: (text: string) => Buffer.from(`enc:${text}`),
    decryptString: (data: Buffer) => data.toString().replace(/^enc:/, ''),
  },
}));

const { safeStorageRefusal, safeStorageSecrets } =
  await import('../../../main/electron/safe-storage-secrets');

afterAll(removeTempDirs);

beforeEach(() => {
  storage.available = true;
  storage.backend = 'gnome_libsecret';
});

describe('safe storage secrets', () => {
  it('stores through a real keyring, in a 0600 file', async () => {
    const folder = await tempDir();
    const secrets = safeStorageSecrets(folder, 'linux');
    await secrets.set('k', 'v');
    expect(await secrets.get('k')).toBe('v');
    expect((await stat(join(folder, 'keychain.bin'))).mode & 0o777).toBe(0o600);
  });

  it('refuses the basic_text backend on Linux with a sentence, and reads nothing through it', async () => {
    const folder = await tempDir();
    await safeStorageSecrets(folder, 'linux').set('k', 'v');
    storage.backend = 'basic_text';
    expect(safeStorageRefusal('linux')).toMatch(/fixed key/);
    const secrets = safeStorageSecrets(folder, 'linux');
    await expect(secrets.set('k2', 'v2')).rejects.toThrow(/"remember me" is not available/);
    expect(await secrets.get('k')).toBeUndefined();
    expect(await readFile(join(folder, 'keychain.bin'), 'utf8')).not.toContain('v2');
    // Other platforms have no basic_text backend to worry about.
    expect(safeStorageRefusal('darwin')).toBeUndefined();
  });

  it('refuses when no keychain is available at all', async () => {
    storage.available = false;
    const secrets = safeStorageSecrets(await tempDir(), 'linux');
    await expect(secrets.set('k', 'v')).rejects.toThrow(/no system keychain/);
    expect(await secrets.get('k')).toBeUndefined();
  });
});
