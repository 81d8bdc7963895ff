/**
 * One profile's vault: a random data key, wrapped by a key derived from the backup password (and,
 * optionally, kept in the OS keychain), encrypting every file under the profile's folder.
 * Changing the password re-wraps the key only; nothing else is rewritten.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import {
  defaultKdfParams,
  derivePasswordKey,
  KEY_BYTES,
  open,
  randomKey,
  seal,
  subKey,
  type KdfParams,
} from './crypto';
import { VaultError, vaultIoError } from './errors';
import { SealedJsonAdapter, writeFileAtomic } from './sealed-file';
import { BlobStore } from './blob-store';

export const VAULT_FORMAT = 'contacts-backup-vault';
export const VAULT_VERSION = 1;
const KEY_FILE = 'vault.json';

/** The only plain-text file of a vault: how to derive the key, and the wrapped data key. */
interface KeyFile {
  readonly format: typeof VAULT_FORMAT;
  readonly version: number;
  readonly profileId: string;
  readonly createdAt: string;
  readonly kdf: KdfParams;
  /** base64 of seal(passwordKey, dataKey) */
  readonly wrappedKey: string;
}

function wrapAad(profileId: string): string {
  return `contacts-backup/data-key/v${VAULT_VERSION}/${profileId}`;
}

export class Vault {
  readonly blobs: BlobStore;
  private readonly filesKey: Buffer;
  private closed = false;

  private constructor(
    readonly folder: string,
    readonly profileId: string,
    private readonly dataKey: Buffer,
  ) {
    this.filesKey = subKey(dataKey, 'files');
    this.blobs = new BlobStore(
      join(folder, 'blobs'),
      subKey(dataKey, 'blobs'),
      subKey(dataKey, 'blob-names'),
    );
  }

  /** Creates a new vault in an empty folder. */
  static async create(folder: string, profileId: string, password: string): Promise<Vault> {
    if (password.length < 8) {
      throw new VaultError('wrong-password', 'The backup password must have at least 8 characters.');
    }
    await mkdir(folder, { recursive: true, mode: 0o700 });
    if (
      await readKeyFile(folder).then(
        () => true,
        () => false,
      )
    ) {
      throw new VaultError('exists', 'A vault already exists here.');
    }
    const dataKey = randomKey();
    const kdf = defaultKdfParams();
    const passwordKey = await derivePasswordKey(password, kdf);
    const keyFile: KeyFile = {
      format: VAULT_FORMAT,
      version: VAULT_VERSION,
      profileId,
      createdAt: new Date().toISOString(),
      kdf,
      wrappedKey: seal(passwordKey, dataKey, wrapAad(profileId)).toString('base64'),
    };
    await writeFileAtomic(join(folder, KEY_FILE), Buffer.from(JSON.stringify(keyFile, null, 2)));
    const vault = new Vault(folder, profileId, dataKey);
    // A sealed file that always exists, so a remembered key can be proven against it.
    const probe = await vault.database<{ probe: string }>('probe', { probe: 'ok' });
    await probe.write();
    return vault;
  }

  /** Opens a vault with the backup password. A wrong password changes nothing on disk. */
  static async unlock(folder: string, password: string): Promise<Vault> {
    const keyFile = await readKeyFile(folder);
    const passwordKey = await derivePasswordKey(password, keyFile.kdf);
    const dataKey = unwrap(passwordKey, keyFile);
    return new Vault(folder, keyFile.profileId, dataKey);
  }

  /** Opens a vault with a data key kept in the OS keychain ("remember me"). */
  static async unlockWithKey(folder: string, dataKeyBase64: string): Promise<Vault> {
    const keyFile = await readKeyFile(folder);
    const dataKey = Buffer.from(dataKeyBase64, 'base64');
    if (dataKey.length !== KEY_BYTES)
      throw new VaultError('wrong-password', 'The remembered key is not valid.');
    const vault = new Vault(folder, keyFile.profileId, dataKey);
    // Prove the key by opening a file sealed with it; a stale keychain entry must not "unlock".
    await vault.probe();
    return vault;
  }

  /** True if `password` is this vault's backup password (used to confirm deletions). */
  async verifyPassword(password: string): Promise<boolean> {
    const keyFile = await readKeyFile(this.folder);
    try {
      unwrap(await derivePasswordKey(password, keyFile.kdf), keyFile);
      return true;
    } catch (error) {
      if (error instanceof VaultError && error.code === 'wrong-password') return false;
      throw error;
    }
  }

  /** Re-wraps the data key under a new password; the files stay as they are. */
  async changePassword(oldPassword: string, newPassword: string): Promise<void> {
    if (!(await this.verifyPassword(oldPassword))) {
      throw new VaultError('wrong-password', 'The current backup password is not correct.');
    }
    if (newPassword.length < 8) {
      throw new VaultError('wrong-password', 'The backup password must have at least 8 characters.');
    }
    const keyFile = await readKeyFile(this.folder);
    const kdf = defaultKdfParams();
    const wrapped = seal(await derivePasswordKey(newPassword, kdf), this.dataKey, wrapAad(this.profileId));
    const next: KeyFile = { ...keyFile, kdf, wrappedKey: wrapped.toString('base64') };
    await writeFileAtomic(join(this.folder, KEY_FILE), Buffer.from(JSON.stringify(next, null, 2)));
  }

  /** The data key, for the OS keychain only (never logged, never written in clear). */
  exportKeyForKeychain(): string {
    this.assertOpen();
    return this.dataKey.toString('base64');
  }

  /** A lowdb database in a sealed file of this vault. */
  async database<T>(name: string, defaults: T): Promise<Low<T>> {
    this.assertOpen();
    await mkdir(join(this.folder, 'db'), { recursive: true, mode: 0o700 });
    const low = new Low<T>(new SealedJsonAdapter<T>(this.filesKey, this.pathOf(name), name), defaults);
    await low.read();
    return low;
  }

  /** Path of a sealed file of this vault, by logical name (e.g. 'catalog', 'segments/abc'). */
  pathOf(name: string): string {
    if (!/^[a-z0-9][a-z0-9/_-]*$/.test(name)) throw new Error(`Invalid vault file name ${name}`);
    return join(this.folder, 'db', `${name}.cbs`);
  }

  /** The key for sealed files (the history store writes its own segment files with it). */
  fileKey(): Buffer {
    this.assertOpen();
    return this.filesKey;
  }

  /** Forgets the keys held in memory. */
  lock(): void {
    this.dataKey.fill(0);
    this.filesKey.fill(0);
    this.closed = true;
  }

  get isLocked(): boolean {
    return this.closed;
  }

  private assertOpen(): void {
    if (this.closed)
      throw new VaultError('locked', 'The profile is locked. Unlock it with the backup password.');
  }

  /** Opens the probe file written at creation; a key that is not this vault's fails the GCM check. */
  private async probe(): Promise<void> {
    const probe = await this.database<{ probe?: string }>('probe', {});
    if (probe.data.probe !== 'ok') {
      throw new VaultError('wrong-password', 'The remembered key does not open this profile.');
    }
  }
}

async function readKeyFile(folder: string): Promise<KeyFile> {
  let text: string;
  try {
    text = await readFile(join(folder, KEY_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new VaultError('not-found', 'No vault here. Run `contacts-backup init` first.');
    }
    throw vaultIoError(error, 'the vault key file');
  }
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(text) as KeyFile;
  } catch {
    throw new VaultError(text.length < 40 ? 'truncated' : 'tampered', 'The vault key file is damaged.');
  }
  if (parsed.format !== VAULT_FORMAT)
    throw new VaultError('tampered', 'This is not a Contacts Backup vault.');
  if (parsed.version !== VAULT_VERSION) {
    throw new VaultError(
      'unsupported-version',
      `This vault has format version ${parsed.version}, which this version of Contacts Backup cannot open.`,
    );
  }
  if (!parsed.kdf || !parsed.wrappedKey || !parsed.profileId) {
    throw new VaultError('tampered', 'The vault key file is incomplete.');
  }
  return parsed;
}

function unwrap(passwordKey: Buffer, keyFile: KeyFile): Buffer {
  try {
    return open(passwordKey, Buffer.from(keyFile.wrappedKey, 'base64'), wrapAad(keyFile.profileId), 'key');
  } catch (error) {
    if (error instanceof VaultError && error.code === 'truncated') {
      throw new VaultError('tampered', 'The vault key file is damaged.');
    }
    throw new VaultError('wrong-password', 'Wrong backup password.');
  }
}
