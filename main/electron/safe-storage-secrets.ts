/**
 * The SecretStore port over Electron's safeStorage (the OS keychain: Keychain, DPAPI, libsecret).
 * Values are encrypted by the OS and kept in one file per app; without a keychain nothing is stored
 * and "remember me" is simply unavailable.
 *
 * On Linux, safeStorage falls back to the `basic_text` backend when no keyring (GNOME Keyring,
 * KWallet) answers: "encryption" with a key hard-coded in Chromium, which anyone who copies the file
 * can undo. That backend is refused like a missing keychain: nothing is stored or read through it.
 */
import { safeStorage } from 'electron';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore } from '../core/ports';

/** Why this computer cannot keep secrets safely, or undefined when it can. */
export function safeStorageRefusal(platform: NodeJS.Platform = process.platform): string | undefined {
  if (!safeStorage.isEncryptionAvailable()) {
    return 'This computer has no system keychain, so "remember me" is not available: enter the password each time.';
  }
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return 'No keyring (GNOME Keyring or KWallet) is running, and the fallback Electron offers uses a fixed key anyone could undo, so "remember me" is not available: enter the password each time.';
  }
  return undefined;
}

/** Thrown by `set` when the keychain is missing or is the fixed-key `basic_text` backend. */
export class SecretStorageUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretStorageUnavailable';
  }
}

export function safeStorageSecrets(
  folder: string,
  platform: NodeJS.Platform = process.platform,
): SecretStore {
  const path = join(folder, 'keychain.bin');
  const load = async (): Promise<Record<string, string>> => {
    if (safeStorageRefusal(platform)) return {};
    try {
      return JSON.parse(safeStorage.decryptString(await readFile(path))) as Record<string, string>;
    } catch {
      return {};
    }
  };
  const save = async (values: Record<string, string>) => {
    const refusal = safeStorageRefusal(platform);
    if (refusal) throw new SecretStorageUnavailable(refusal);
    await writeFile(path, safeStorage.encryptString(JSON.stringify(values)), { mode: 0o600 });
  };
  return {
    get: async (key) => (await load())[key],
    set: async (key, value) => save({ ...(await load()), [key]: value }),
    delete: async (key) => {
      const values = await load();
      if (!(key in values)) return;
      delete values[key];
      await save(values);
    },
  };
}
