/**
 * One profile's vault: a random data key, wrapped by a key derived from the backup password (and,
 * optionally, kept in the OS keychain), encrypting every file under the profile's folder.
 * Changing the password re-wraps the key only; nothing else is rewritten.
 */
import { createHmac } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import {
  checkKdfParams,
  defaultKdfParams,
  derivePasswordKey,
  kdfBelowMinimum,
  KEY_BYTES,
  open,
  randomKey,
  sameBytes,
  seal,
  subKey,
  type KdfParams,
} from './crypto';
import { VaultError, vaultIoError } from './errors';
import { SealedJsonAdapter, writeFileAtomic } from './sealed-file';
import { BlobStore } from './blob-store';
import { awaitAttemptSlot, recordFailure, recordSuccess } from './unlock-attempts';
import { formatRecoveryKey, newRecoveryKey, parseRecoveryKey, recoveryWrapKey } from './recovery-key';

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
  /** base64 of seal(recoveryWrapKey, dataKey): the optional second wrap (a recovery key). */
  readonly recoveryWrappedKey?: string;
  /**
   * The catalog's generation, authenticated with a key derived from the data key: a catalog that is
   * missing or older than this was removed or rolled back (the catalog holds the same number).
   */
  readonly catalog?: { readonly generation: number; readonly mac: string };
}

function wrapAad(profileId: string): string {
  return `contacts-backup/data-key/v${VAULT_VERSION}/${profileId}`;
}

function recoveryAad(profileId: string): string {
  return `contacts-backup/recovery-key/v${VAULT_VERSION}/${profileId}`;
}

/** Options for the unlocks that take a secret (tests pass a clock for the attempt delay). */
export interface UnlockOptions {
  readonly now?: () => number;
  readonly maxWaitMs?: number;
}

export class Vault {
  readonly blobs: BlobStore;
  private readonly filesKey: Buffer;
  private readonly stateKey: Buffer;
  private closed = false;
  /** Writes of vault.json go one at a time (generation, password, recovery key). */
  private keyFileChain: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly folder: string,
    readonly profileId: string,
    private readonly dataKey: Buffer,
  ) {
    this.filesKey = subKey(dataKey, 'files');
    this.stateKey = subKey(dataKey, 'vault-state');
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

  /**
   * Opens a vault with the backup password. A wrong password changes nothing but the attempt count
   * (see unlock-attempts.ts); a vault whose key derivation is below today's minimum is re-wrapped
   * with the current parameters on the way (same data key, nothing else rewritten).
   */
  static async unlock(folder: string, password: string, options: UnlockOptions = {}): Promise<Vault> {
    const keyFile = await readKeyFile(folder);
    await awaitAttemptSlot(folder, options);
    let dataKey: Buffer;
    try {
      dataKey = unwrap(await derivePasswordKey(password, keyFile.kdf), keyFile);
    } catch (error) {
      if (error instanceof VaultError && error.code === 'wrong-password')
        await recordFailure(folder, options.now);
      throw error;
    }
    await recordSuccess(folder);
    const vault = new Vault(folder, keyFile.profileId, dataKey);
    if (kdfBelowMinimum(keyFile.kdf)) await vault.rewrap(password);
    return vault;
  }

  /**
   * Opens a vault with its recovery key and sets a new backup password at once (the old one is
   * forgotten: that is why the recovery key is used). Wrong keys count as wrong passwords.
   */
  static async unlockWithRecoveryKey(
    folder: string,
    recoveryKey: string,
    newPassword: string,
    options: UnlockOptions = {},
  ): Promise<Vault> {
    const keyFile = await readKeyFile(folder);
    if (!keyFile.recoveryWrappedKey) {
      throw new VaultError(
        'not-found',
        'This profile has no recovery key. Only its backup password opens it.',
      );
    }
    const keyBytes = parseRecoveryKey(recoveryKey);
    await awaitAttemptSlot(folder, options);
    let dataKey: Buffer;
    try {
      if (!keyBytes) throw new VaultError('wrong-password', 'That is not a recovery key.');
      dataKey = open(
        recoveryWrapKey(keyBytes, keyFile.profileId),
        Buffer.from(keyFile.recoveryWrappedKey, 'base64'),
        recoveryAad(keyFile.profileId),
        'The recovery key',
      );
    } catch {
      await recordFailure(folder, options.now);
      throw new VaultError('wrong-password', 'That recovery key does not open this profile.');
    }
    await recordSuccess(folder);
    const vault = new Vault(folder, keyFile.profileId, dataKey);
    await vault.rewrap(newPassword);
    return vault;
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
    await this.rewrap(newPassword);
  }

  /** Wraps the data key under `password` with today's key derivation parameters. */
  private async rewrap(password: string): Promise<void> {
    this.assertOpen();
    if (password.length < 8) {
      throw new VaultError('weak-password', 'The backup password must have at least 8 characters.');
    }
    const kdf = defaultKdfParams();
    const wrapped = seal(await derivePasswordKey(password, kdf), this.dataKey, wrapAad(this.profileId));
    await this.updateKeyFile((keyFile) => ({ ...keyFile, kdf, wrappedKey: wrapped.toString('base64') }));
  }

  /**
   * Makes a new recovery key (replacing any earlier one) and returns it for the person to save or
   * print: it is shown once and never stored in clear.
   */
  async createRecoveryKey(): Promise<string> {
    this.assertOpen();
    const keyBytes = newRecoveryKey();
    const wrapped = seal(
      recoveryWrapKey(keyBytes, this.profileId),
      this.dataKey,
      recoveryAad(this.profileId),
    );
    await this.updateKeyFile((keyFile) => ({ ...keyFile, recoveryWrappedKey: wrapped.toString('base64') }));
    return formatRecoveryKey(keyBytes);
  }

  /** Whether a recovery key can open this vault. */
  async hasRecoveryKey(): Promise<boolean> {
    return Boolean((await readKeyFile(this.folder)).recoveryWrappedKey);
  }

  /** The catalog generation vault.json vouches for (0 for a vault written before generations). */
  async catalogGeneration(): Promise<number> {
    this.assertOpen();
    const state = (await readKeyFile(this.folder)).catalog;
    if (!state) return 0;
    if (!Number.isSafeInteger(state.generation) || state.generation < 0 || typeof state.mac !== 'string') {
      throw new VaultError('tampered', 'The vault key file names a catalog generation that is not valid.');
    }
    if (!sameBytes(Buffer.from(state.mac, 'base64'), this.generationMac(state.generation))) {
      throw new VaultError('tampered', 'The catalog generation in the vault key file was changed.');
    }
    return state.generation;
  }

  /** Records the generation of the catalog just written (after the catalog itself is on disk). */
  async setCatalogGeneration(generation: number): Promise<void> {
    this.assertOpen();
    const mac = this.generationMac(generation).toString('base64');
    await this.updateKeyFile((keyFile) => ({ ...keyFile, catalog: { generation, mac } }));
  }

  private generationMac(generation: number): Buffer {
    return createHmac('sha256', this.stateKey).update(`catalog/${this.profileId}/${generation}`).digest();
  }

  /** Reads, changes and atomically writes vault.json, one change at a time. */
  private updateKeyFile(change: (keyFile: KeyFile) => KeyFile): Promise<void> {
    const next = this.keyFileChain.then(async () => {
      const keyFile = change(await readKeyFile(this.folder));
      await writeFileAtomic(join(this.folder, KEY_FILE), Buffer.from(JSON.stringify(keyFile, null, 2)));
    });
    this.keyFileChain = next.catch(() => undefined);
    return next;
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
    this.stateKey.fill(0);
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
  checkKdfParams(parsed.kdf);
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
