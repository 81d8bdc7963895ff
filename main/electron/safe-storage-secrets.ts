/**
 * The SecretStore port over Electron's safeStorage (the OS keychain: Keychain, DPAPI, libsecret).
 * Values are encrypted by the OS and kept in one file per app; without a keychain nothing is stored
 * and "remember me" is simply unavailable.
 */
import { safeStorage } from 'electron';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore } from '../core/ports';

export function safeStorageSecrets(folder: string): SecretStore {
  const path = join(folder, 'keychain.bin');
  const load = async (): Promise<Record<string, string>> => {
    try {
      return JSON.parse(safeStorage.decryptString(await readFile(path))) as Record<string, string>;
    } catch {
      return {};
    }
  };
  const save = async (values: Record<string, string>) => {
    if (!safeStorage.isEncryptionAvailable()) return;
    await writeFile(path, safeStorage.encryptString(JSON.stringify(values)), { mode: 0o600 });
  };
  return {
    get: async (key) => (await load())[key],
    set: async (key, value) => save({ ...(await load()), [key]: value }),
    delete: async (key) => {
      const values = await load();
      delete values[key];
      await save(values);
    },
  };
}
