/**
 * The profile's small sealed files (accounts, account secrets, settings) behind typed methods
 * (issue 13 item 4): services say what they change, and only this file knows they are lowdb
 * databases written whole. One store per file; each write is the vault's sealed, atomic write.
 */
import type { Low } from 'lowdb';
import type { AccountRecord, AccountsFile, SecretsFile } from '../accounts/types';
import type { SettingsFile } from './profile-session';

/** The accounts of the profile, in the order they were added. */
export class AccountStore {
  constructor(private readonly file: Low<AccountsFile>) {}

  /** Every account. Records may be changed in place; {@link save} writes them. */
  all(): readonly AccountRecord[] {
    return this.file.data.accounts;
  }

  find(accountId: string): AccountRecord | undefined {
    return this.file.data.accounts.find((account) => account.id === accountId);
  }

  async add(account: AccountRecord): Promise<void> {
    this.file.data.accounts.push(account);
    await this.file.write();
  }

  async remove(accountId: string): Promise<void> {
    this.file.data.accounts = this.file.data.accounts.filter((account) => account.id !== accountId);
    await this.file.write();
  }

  /** Writes changes made to the records {@link all} and {@link find} answered. */
  async save(): Promise<void> {
    await this.file.write();
  }
}

/** Each account's sign-in secrets (tokens, keys, passwords), sealed apart from the accounts. */
export class SecretStore {
  constructor(private readonly file: Low<SecretsFile>) {}

  get<T>(accountId: string): T | undefined {
    return this.file.data.secrets[accountId] as T | undefined;
  }

  async set(accountId: string, value: unknown): Promise<void> {
    this.file.data.secrets[accountId] = value;
    await this.file.write();
  }

  /** The accounts that have secrets (so a check can find secrets left without an account). */
  accountIds(): readonly string[] {
    return Object.keys(this.file.data.secrets);
  }

  async remove(accountId: string): Promise<void> {
    if (!(accountId in this.file.data.secrets)) return;
    delete this.file.data.secrets[accountId];
    await this.file.write();
  }
}

/** The profile's settings (notifications, retention, idle lock, start at login, mass deletion). */
export class SettingsStore {
  constructor(private readonly file: Low<SettingsFile>) {}

  get(): Readonly<SettingsFile> {
    return this.file.data;
  }

  /** Changes the settings and writes them. */
  async update(change: (settings: SettingsFile) => void): Promise<void> {
    change(this.file.data);
    await this.file.write();
  }
}
