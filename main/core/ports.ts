/**
 * What only the host (Electron, the CLI, the web host, a test) can give the core. app.ts receives
 * these; nothing in main/core reaches for the OS directly where a port exists.
 */

/** Wall time, injectable so tests can run days of schedules in a second. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Holds small secrets outside the vault files (the OS keychain in Electron via safeStorage), used for
 * "remember me" unlock. A test double keeps them in memory.
 */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Opens a URL in the user's system browser (OAuth sign-in). */
export interface OpenBrowser {
  open(url: string): Promise<void>;
}

/** Shows a notification; Electron's Notification in the app, a toast in the web host. */
export interface Notifier {
  notify(notification: {
    title: string;
    body: string;
    kind: 'info' | 'warning' | 'error';
    /** The job it is about, so a toast can link to it. */
    jobId?: string;
    /** The account it asks to sign in again (contract-types NotificationView.signInOf). */
    signInOf?: string;
  }): void;
}

/**
 * Encrypted storage for one account's secrets (refresh tokens, MSAL cache, service-account keys),
 * sealed with the profile's data key. Providers read and write tokens only through this.
 */
export interface AccountSecrets {
  get<T>(): Promise<T | undefined>;
  set<T>(value: T): Promise<void>;
}

/** An in-memory SecretStore for tests and hosts without a keychain. */
export function memorySecretStore(): SecretStore {
  const values = new Map<string, string>();
  return {
    get: async (key) => values.get(key),
    set: async (key, value) => void values.set(key, value),
    delete: async (key) => void values.delete(key),
  };
}

/**
 * Where the host keeps the app's own files and the user's data. The host knows (Electron:
 * `app.getAppPath()`; the CLI and the web host: the package root); a module-relative URL does not,
 * because bundling moves every module into one file. See app-paths.ts for the layout.
 */
export interface Paths {
  /** The data folder: profiles, the keychain file, logs. */
  readonly data: string;
  /** The read-only assets folder (icons, tray images, the sample address book). */
  readonly assets: string;
  /** The sample address book's .vcf file. */
  readonly sampleAddressBook: string;
  /** The renderer build (index.html and its files). */
  readonly renderer: string;
  /** Where the log files go. */
  readonly logs: string;
}
