/**
 * Profiles on a shared desktop: each person has a folder with their own vault and password.
 * The list itself holds only ids and display names (shown on the switcher before anyone unlocks).
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { writeFileAtomic } from './sealed-file';
import { VaultError } from './errors';
import { Vault } from './vault';

export interface ProfileInfo {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

interface ProfileList {
  readonly version: 1;
  readonly profiles: ProfileInfo[];
}

export class Profiles {
  constructor(readonly home: string) {}

  private get listPath(): string {
    return join(this.home, 'profiles.json');
  }

  folderOf(profileId: string): string {
    if (!/^[a-z0-9-]+$/.test(profileId)) throw new VaultError('not-found', 'Unknown profile.');
    return join(this.home, 'profiles', profileId);
  }

  async list(): Promise<ProfileInfo[]> {
    try {
      const parsed = JSON.parse(await readFile(this.listPath, 'utf8')) as ProfileList;
      return parsed.profiles ?? [];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new VaultError('tampered', 'The profile list is damaged.');
    }
  }

  /** Finds a profile by id or (case-insensitive) name. */
  async find(idOrName: string): Promise<ProfileInfo | undefined> {
    const profiles = await this.list();
    const wanted = idOrName.toLowerCase();
    return profiles.find((profile) => profile.id === idOrName || profile.name.toLowerCase() === wanted);
  }

  /** Creates a profile and its vault; names are unique so people can pick theirs. */
  async create(name: string, password: string): Promise<{ profile: ProfileInfo; vault: Vault }> {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 80)
      throw new VaultError('exists', 'A profile needs a name of 1 to 80 characters.');
    const profiles = await this.list();
    if (profiles.some((profile) => profile.name.toLowerCase() === trimmed.toLowerCase())) {
      throw new VaultError('exists', `A profile named "${trimmed}" already exists.`);
    }
    const profile: ProfileInfo = { id: randomUUID(), name: trimmed, createdAt: new Date().toISOString() };
    await mkdir(join(this.home, 'profiles'), { recursive: true, mode: 0o700 });
    const vault = await Vault.create(this.folderOf(profile.id), profile.id, password);
    await writeFileAtomic(
      this.listPath,
      Buffer.from(JSON.stringify({ version: 1, profiles: [...profiles, profile] }, null, 2)),
    );
    return { profile, vault };
  }

  async unlock(profileId: string, password: string): Promise<Vault> {
    return Vault.unlock(this.folderOf(profileId), password);
  }

  /** Renames a profile; names stay unique (case-insensitive) so people can still pick theirs. */
  async rename(profileId: string, name: string): Promise<ProfileInfo> {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 80)
      throw new VaultError('exists', 'A profile needs a name of 1 to 80 characters.');
    const profiles = await this.list();
    const current = profiles.find((profile) => profile.id === profileId);
    if (!current) throw new VaultError('not-found', 'Unknown profile.');
    if (
      profiles.some(
        (profile) => profile.id !== profileId && profile.name.toLowerCase() === trimmed.toLowerCase(),
      )
    ) {
      throw new VaultError('exists', `A profile named "${trimmed}" already exists.`);
    }
    const renamed: ProfileInfo = { ...current, name: trimmed };
    await this.writeList(profiles.map((profile) => (profile.id === profileId ? renamed : profile)));
    return renamed;
  }

  /**
   * Deletes a profile for good: its password is checked first (a wrong one changes nothing), then it
   * leaves the list, then its folder is removed. The caller locks it first if it is open.
   */
  async remove(profileId: string, password: string): Promise<void> {
    const profiles = await this.list();
    if (!profiles.some((profile) => profile.id === profileId))
      throw new VaultError('not-found', 'Unknown profile.');
    const vault = await Vault.unlock(this.folderOf(profileId), password);
    vault.lock();
    await this.writeList(profiles.filter((profile) => profile.id !== profileId));
    await rm(this.folderOf(profileId), { recursive: true, force: true });
  }

  private async writeList(profiles: readonly ProfileInfo[]): Promise<void> {
    await writeFileAtomic(this.listPath, Buffer.from(JSON.stringify({ version: 1, profiles }, null, 2)));
  }
}
