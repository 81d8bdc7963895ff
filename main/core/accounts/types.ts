/**
 * Accounts a profile backs up. Settings (endpoints, client ids) are stored sealed with the rest of
 * the vault; secrets (tokens, keys) in a separate sealed file so listing accounts never touches them.
 */
/**
 * A source kind: one registered in accounts/provider-registry.ts ('sample', 'vcard', 'pst', 'google',
 * 'microsoft', 'carddav', or one a test registers), or 'test' (the tests' provider overrides).
 */
export type AccountKind = string;

export interface AccountUserRecord {
  readonly id: string;
  readonly email: string;
  readonly displayName?: string;
  /** The directory says the user exists and is not suspended. */
  active: boolean;
  /** Contacts backup is enabled for this user (business edition: chosen by an administrator). */
  enabled: boolean;
}

export interface AccountRecord {
  readonly id: string;
  readonly kind: AccountKind;
  label: string;
  readonly createdAt: string;
  settings: Record<string, unknown>;
  users: AccountUserRecord[];
  /** "Sign-in needed" after a revoked grant; backups of this account wait for a new sign-in. */
  status: 'ok' | 'sign-in-needed';
  /** The Contacts backup service is turned on for this account (Configure Backup). */
  backupEnabled: boolean;
}

export interface AccountsFile {
  version: 1;
  accounts: AccountRecord[];
}

export interface SecretsFile {
  version: 1;
  secrets: Record<string, unknown>;
}
