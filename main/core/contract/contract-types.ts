/**
 * The IPC contract's types and channel list, free of runtime dependencies so the preload and the
 * renderer can import it. The zod schemas that validate requests live in contract.ts and are
 * checked against these types at compile time.
 */
import type { Contact, ContactFolder } from '../contacts/model';
import type { JobRecord } from '../jobs/types';
import type { ContactSummary } from '../history/contact-queries';

/** Every call answers with a Result: Electron passes only an error's message across IPC. */
export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

export interface ApiError {
  /** Stable code the renderer branches on (wrong-password, locked, not-found, invalid-request, ...). */
  readonly code: string;
  /** A sentence a person understands. */
  readonly message: string;
  readonly retryable: boolean;
}

export interface ProfileView {
  readonly id: string;
  readonly name: string;
}

export interface SessionView {
  readonly profileId: string;
  readonly profileName: string;
}

export interface AppStatus {
  readonly version: string;
  readonly host: 'electron' | 'web' | 'cli';
  readonly profiles: readonly ProfileView[];
  readonly session?: SessionView;
}

export interface AccountUserView {
  readonly userKey: string;
  readonly id: string;
  readonly email: string;
  readonly displayName?: string;
  readonly enabled: boolean;
  readonly active: boolean;
  readonly lastBackupAt?: string;
  readonly lastBackupState?: string;
  readonly contactCount: number;
  /** Why this user cannot be backed up now, as a sentence; undefined when it can. */
  readonly blockedReason?: string;
}

export interface AccountView {
  readonly id: string;
  readonly kind: string;
  readonly label: string;
  readonly status: 'ok' | 'sign-in-needed';
  readonly backupEnabled: boolean;
  readonly users: readonly AccountUserView[];
  /** The kind's display name from the provider registry (e.g. "CardDAV (iCloud, …)"). */
  readonly kindName?: string;
  /** For kinds connected with a form: the non-secret values, to fill the form when connecting again. */
  readonly connectValues?: Readonly<Record<string, string>>;
  /** For kinds that sign in: what "Sign in again" asks for (a browser sign-in, a key file, a secret). */
  readonly renewal?: 'browser' | 'key-file' | 'client-secret';
}

/** One input of a provider's connect form (providers/provider-descriptor.ts ConnectField). */
export interface ConnectFieldView {
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'url' | 'password' | 'select';
  readonly required: boolean;
  readonly secret?: boolean;
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  readonly defaultValue?: string;
  readonly placeholder?: string;
  readonly showWhen?: { readonly field: string; readonly values: readonly string[] };
}

/** A source kind the app can connect: the public part of its registry descriptor. */
export interface ProviderView {
  readonly kind: string;
  readonly displayName: string;
  readonly description: string;
  readonly capabilities: { readonly writable: boolean; readonly folders: boolean; readonly photos: boolean };
  /** builtin: one button; file: a path; sign-in: a browser sign-in; form: `fields`, sent to accounts.connect. */
  readonly connect: {
    readonly flow: 'builtin' | 'file' | 'sign-in' | 'form';
    readonly fields: readonly ConnectFieldView[];
  };
}

/** A row of the contacts list (the history's own summary shape). */
export type ContactSummaryView = ContactSummary;

export interface VersionView {
  readonly snapshotId: string;
  readonly from: string;
  readonly until?: string;
  readonly deletedAt?: string;
}

export interface ContactDetailsView {
  readonly summary: ContactSummaryView;
  readonly contact: Contact;
  /** data: URL of the photo, when the contact has one. */
  readonly photoDataUrl?: string;
  readonly folderNames: readonly string[];
  readonly versions: readonly VersionView[];
}

export interface FolderView extends ContactFolder {
  readonly count: number;
}

export interface SnapshotView {
  readonly id: string;
  readonly userKey: string;
  readonly kind: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly massDeletion?: { readonly deleted: number; readonly before: number };
}

export type RestoreMode = 'new-folder' | 'overwrite' | 'skip';

export interface RestoreRequest {
  readonly userKey: string;
  readonly scope: 'all' | 'folder' | 'contacts';
  readonly folderId?: string;
  readonly contactIds?: readonly string[];
  readonly at?: string;
  /** accountId/userId to restore into; default: back into the same user. */
  readonly target?: string;
  readonly mode?: RestoreMode;
  /** Only contacts deleted at the source (as of `at`): "restore what was deleted" after a mass deletion. */
  readonly onlyDeleted?: boolean;
  /** Restore All / Folder: also contacts deleted at the source by `at` ("include deleted contacts"). */
  readonly includeDeleted?: boolean;
  /** Restore into a new vCard folder or file at this absolute path instead of an account. */
  readonly targetPath?: string;
  /** What `targetPath` is: a folder of .vcf files, or one .vcf file. */
  readonly targetKind?: 'vcard-folder' | 'vcard-file';
}

/** A place a restore can go, or one that is not offered and why. */
export interface RestoreTargetView {
  /** `accountId/userId`, for account targets. */
  readonly userKey?: string;
  readonly kind: 'account' | 'vcard-folder' | 'vcard-file';
  readonly label: string;
  /** Set when the target is not offered: the sentence saying why. */
  readonly notOffered?: string;
}

/** The targets of a restore from one user (Restore dialog, `restore --list-targets`). */
export interface RestoreTargetsView {
  /** Account targets that can take the restore, the source's own user first when it is writable. */
  readonly targets: readonly RestoreTargetView[];
  /** Accounts that are not offered, each with its reason. */
  readonly notOffered: readonly RestoreTargetView[];
  /** What the dialog picks first: back into the same user, or a new vCard folder (read-only sources). */
  readonly suggested: 'same-user' | 'vcard-folder';
  /** A fresh path under the data folder for "a new vCard folder" and "a new vCard file". */
  readonly suggestedPaths: { readonly folder: string; readonly file: string };
}

export interface RestorePlanView {
  readonly create: number;
  readonly update: number;
  readonly skip: number;
  /** The first 50 names of each action, in the order the restore writes them ("and N more" after). */
  readonly names?: {
    readonly create: readonly string[];
    readonly update: readonly string[];
    readonly skip: readonly string[];
  };
  /** Where the contacts go, in words. */
  readonly targetLabel?: string;
  readonly folders: number;
  readonly reasons: readonly {
    readonly contactId: string;
    readonly action: string;
    readonly reason: string;
  }[];
  readonly unmappedFields: readonly string[];
}

export type ExportFormat = 'pst' | 'vcf' | 'vcf3' | 'csv-google' | 'csv-outlook';

export interface ExportRequest {
  readonly userKey: string;
  readonly format: ExportFormat;
  readonly contactIds?: readonly string[];
  readonly folderIds?: readonly string[];
  readonly at?: string;
  /** Where to write; in the web host a file under the data folder's exports/ is used when omitted. */
  readonly path?: string;
  /** Wrap the file in an AES-256 ZIP with this password (the path then ends in .zip). Never stored. */
  readonly zipPassword?: string;
}

export interface DeleteRequest {
  readonly userKey: string;
  readonly contactIds?: readonly string[];
  readonly folderId?: string;
  readonly password: string;
  /**
   * Keep the deleted contacts out of every later backup while they still exist at the source
   * (otherwise the next backup stores them again, as new contacts without their old versions).
   */
  readonly keepOutOfBackups?: boolean;
}

export interface AuditEntryView {
  readonly at: string;
  readonly action: string;
  readonly description: string;
}

export interface LicenceView {
  readonly edition: 'personal' | 'business';
  readonly state: 'valid' | 'expired' | 'invalid' | 'none';
  readonly licensee?: string;
  readonly seats: number;
  readonly used: number;
  readonly free: number;
  readonly expiresAt?: string;
  /** A sentence for the user when the licence is missing, expired or invalid. */
  readonly message?: string;
}

export interface ScheduleView {
  readonly userKey: string;
  /** 'times' with times of day and weekdays, or 'cron' with an expression. */
  readonly schedule:
    | {
        readonly kind: 'times';
        readonly times: readonly string[];
        readonly days: readonly number[];
        readonly spread: boolean;
      }
    | { readonly kind: 'cron'; readonly expression: string };
  readonly nextRuns: readonly string[];
  /** Scheduled backups of this user on (true unless turned off in Settings). */
  readonly enabled?: boolean;
  /** Run once after the computer slept or the app was closed over a backup time (default true). */
  readonly catchUp?: boolean;
}

/** The next automatic backup of any user of the profile ("Next backup at ..."). */
export interface NextBackupView {
  /** ISO time; undefined when no backup is scheduled. */
  readonly at?: string;
  readonly userKey?: string;
  /** Who it backs up, as a person reads it (email or name). */
  readonly userLabel?: string;
}

/** How long old revisions are kept (product.md B6). */
export interface RetentionSettingsView {
  readonly policy:
    | { readonly kind: 'all' }
    | { readonly kind: 'last'; readonly revisions: number }
    | { readonly kind: 'days'; readonly days: number }
    | { readonly kind: 'gfs'; readonly daily: number; readonly weekly: number; readonly monthly: number };
  /** Days to keep contacts deleted at the source; undefined keeps them forever. */
  readonly deletedKeepDays?: number;
  /** Days to wait before anything the policy lets go is removed. */
  readonly purgeDelayDays?: number;
}

export interface RetentionView {
  readonly settings: RetentionSettingsView;
  /** The policy as a sentence. */
  readonly description: string;
  /** What the next run (after the next backup) removes if nothing changes before. */
  readonly nextRun: { readonly revisions: number; readonly contacts: number };
}

export interface SettingsView {
  readonly notifications: {
    readonly jobCreated: boolean;
    readonly jobFailed: boolean;
    readonly massDeletion: boolean;
    readonly signInNeeded: boolean;
  };
  readonly massDeletion: { readonly share: number; readonly minimum: number };
  /** Lock the profile after this many idle minutes (0: never). */
  readonly idleLockMinutes: number;
  /** Start the desktop app (in the tray) when the user logs in, so scheduled backups run. */
  readonly startAtLogin: boolean;
}

export interface DiffView {
  readonly added: readonly { readonly contactId: string; readonly displayName: string }[];
  readonly changed: readonly {
    readonly contactId: string;
    readonly displayName: string;
    readonly fields: readonly string[];
  }[];
  readonly deleted: readonly { readonly contactId: string; readonly displayName: string }[];
}

export interface NotificationView {
  readonly title: string;
  readonly body: string;
  readonly kind: 'info' | 'warning' | 'error';
  /** The job it is about: the toast links to it in the Task Manager. */
  readonly jobId?: string;
}

/**
 * Rows per `contacts.list` page the renderer asks for. The saved first screen
 * (history/first-screen.ts, FIRST_SCREEN_ROWS) holds one such page; a test keeps the two equal.
 */
export const LIST_PAGE_SIZE = 200;

/** What a contacts list shows: one user (or all), a folder, a moment, a search. */
export interface ContactsFilter {
  userKey?: string;
  folderId?: string;
  at?: string;
  search?: string;
  includeDeleted?: boolean;
  /** Column the list is ordered by (default: name); ties keep the name order. */
  sort?: ContactSort;
  /** Reverse the order (Z–A, newest change first). */
  descending?: boolean;
}

/** The columns a contacts list can be sorted by. */
export type ContactSort = 'name' | 'company' | 'updated';

/** Which sign-ins this build can offer with its own app registrations (issue 14, item 1). */
export interface SignInOptionsView {
  /** True when the build ships the app's own Google desktop OAuth client. */
  readonly google: boolean;
  /** True when the build ships the app's own Microsoft public-client id. */
  readonly microsoft: boolean;
}

/** Connect Google / Microsoft from the app: the app's registration, or the user's own client id. */
export interface ConnectRequest {
  readonly provider: 'google' | 'microsoft';
  readonly clientId?: string;
  /** Google desktop clients' (non-confidential) secret, with the user's own client id. */
  readonly clientSecret?: string;
  /** Google: also back up "Other contacts" (read-only, in a folder of their own). */
  readonly otherContacts?: boolean;
}

/** What connecting did: a new account, or a new sign-in of the account that had this mailbox. */
export interface ConnectResultView {
  readonly account: AccountView;
  readonly outcome: 'added' | 'reconnected';
}

/** Google Workspace (business edition): a service-account key with domain-wide delegation. */
export interface ConnectWorkspaceRequest {
  readonly adminEmail: string;
  readonly domain?: string;
  /** The key file's JSON text, read in the window from the file picker; sealed in the vault. */
  readonly keyJson: string;
}

/** A Microsoft 365 tenant (business edition): app-only access with the app's client secret. */
export interface ConnectTenantRequest {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The sign-in address the window opens (browser host: a new tab; Electron opened it already). */
export interface SignInOpenEvent {
  readonly provider: 'google' | 'microsoft';
  readonly url: string;
  readonly openedByHost: boolean;
}

/** Request and response types per channel. */
export interface Channels {
  'app.status': { request: Record<string, never>; response: AppStatus };
  /** The redacted diagnostic report (versions, recent log lines) for "Copy diagnostic report". */
  'diagnostics.report': { request: Record<string, never>; response: { report: string } };
  'profile.create': { request: { name: string; password: string }; response: SessionView };
  'profile.unlock': { request: { profileId: string; password: string }; response: SessionView };
  'profile.lock': { request: Record<string, never>; response: null };
  'accounts.list': { request: Record<string, never>; response: AccountView[] };
  'accounts.addSample': { request: Record<string, never>; response: AccountView };
  'accounts.addVcard': { request: { path: string; label?: string }; response: AccountView };
  'accounts.remove': { request: { accountId: string }; response: null };
  /** The source kinds of the provider registry (the connect list is built from it). */
  'providers.list': { request: Record<string, never>; response: ProviderView[] };
  /** Connects a kind whose connect flow is a form; `secret` is sealed in the vault, never stored in settings. */
  'accounts.connectForm': {
    /** With `accountId`: the same account again (a new app password); it keeps its backups. */
    request: {
      kind: string;
      values: Record<string, string>;
      secret?: string;
      label?: string;
      accountId?: string;
    };
    response: AccountView;
  };
  'backup.configure': {
    request: { enabled: boolean; applyToEnabledUsers: boolean; accountIds?: string[] };
    response: { jobs: JobRecord[] };
  };
  'backup.run': {
    request: { userKey: string; contactIds?: string[]; folderIds?: string[] };
    response: JobRecord;
  };
  'contacts.list': {
    request: ContactsFilter & { offset?: number; limit?: number };
    response: { total: number; items: ContactSummaryView[] };
  };
  /** The ids a `contacts.list` query matches, in list order, without the rows. */
  'contacts.ids': { request: ContactsFilter; response: string[] };
  'contacts.get': {
    request: { contactId: string; at?: string; snapshotId?: string };
    response: ContactDetailsView;
  };
  'folders.list': { request: { userKey: string; at?: string }; response: FolderView[] };
  'snapshots.list': { request: { userKey?: string }; response: SnapshotView[] };
  'tasks.list': { request: Record<string, never>; response: JobRecord[] };
  'tasks.cancel': { request: { id: string }; response: JobRecord };
  'tasks.resume': { request: { id: string }; response: JobRecord };
  'restore.preview': { request: RestoreRequest; response: RestorePlanView };
  'restore.start': { request: RestoreRequest; response: JobRecord };
  'restore.targets': { request: { readonly userKey: string }; response: RestoreTargetsView };
  'export.start': { request: ExportRequest; response: JobRecord };
  'delete.start': { request: DeleteRequest; response: JobRecord };
  'audit.list': { request: { search?: string }; response: AuditEntryView[] };
  'licence.status': { request: Record<string, never>; response: LicenceView };
  'licence.install': { request: { key: string }; response: LicenceView };
  'users.setEnabled': {
    request: { accountId: string; userIds: string[]; enabled: boolean };
    response: AccountView;
  };
  'users.refresh': { request: { accountId: string }; response: AccountView };
  'schedule.get': { request: { userKey: string }; response: ScheduleView };
  'schedule.set': {
    request: { userKey: string; schedule: ScheduleView['schedule']; enabled?: boolean; catchUp?: boolean };
    response: ScheduleView;
  };
  'settings.get': { request: Record<string, never>; response: SettingsView };
  'settings.set': { request: Partial<SettingsView>; response: SettingsView };
  'snapshots.diff': { request: { userKey: string; from: string; to: string }; response: DiffView };
  'check.start': { request: { repair?: boolean }; response: JobRecord };
  /** Asks the host for a file name (the native save dialog); `available` is false in the web host. */
  'export.choosePath': {
    request: { format: ExportFormat; suggestedName?: string };
    response: { available: boolean; path?: string };
  };
  'accounts.signInOptions': { request: Record<string, never>; response: SignInOptionsView };
  /** Signs in (answers when the browser comes back) and adds the account, or signs an existing one in again. */
  'accounts.connect': { request: ConnectRequest; response: ConnectResultView };
  /** "Sign in again": the same account, history and cursors. */
  'accounts.reconnect': {
    request: { accountId: string; keyJson?: string; clientSecret?: string };
    response: AccountView;
  };
  /** The waiting screen's Cancel. */
  'accounts.cancelSignIn': { request: Record<string, never>; response: null };
  'accounts.connectWorkspace': { request: ConnectWorkspaceRequest; response: AccountView };
  'accounts.connectTenant': { request: ConnectTenantRequest; response: AccountView };
  /** A new recovery key for the open profile (the password confirmed again); shown once. */
  'profile.createRecoveryKey': { request: { password: string }; response: { recoveryKey: string } };
  /** Opens a profile with its recovery key and sets a new backup password. */
  'profile.unlockWithRecoveryKey': {
    request: { profileId: string; recoveryKey: string; newPassword: string };
    response: SessionView;
  };
  'schedule.next': { request: Record<string, never>; response: NextBackupView };
  'retention.get': { request: Record<string, never>; response: RetentionView };
  'retention.set': { request: RetentionSettingsView; response: RetentionView };
  /** Renames the open profile. */
  'profile.rename': { request: { name: string }; response: SessionView };
  /** Re-wraps the open profile's key under a new backup password. */
  'profile.changePassword': { request: { currentPassword: string; newPassword: string }; response: null };
  /** Deletes a profile and every file of it; its password is asked again. Locks it first if open. */
  'profile.delete': { request: { profileId: string; password: string }; response: null };
  /** Asks the host for a source file (the native open dialog); `available` is false in the web host. */
  'source.choosePath': {
    request: { kind: 'vcard' | 'pst' };
    response: { available: boolean; path?: string };
  };
  /** An Outlook PST file as a read-only source. */
  'accounts.addPst': { request: { path: string; label?: string }; response: AccountView };
}

export type Channel = keyof Channels;
export type RequestOf<C extends Channel> = Channels[C]['request'];
export type ResponseOf<C extends Channel> = Channels[C]['response'];

/** Events pushed from the main process; the only messages that are not answers. */
export interface Events {
  'tasks.changed': JobRecord[];
  notification: NotificationView;
  'session.changed': SessionView | null;
  'backup.finished': { userKey: string; jobId: string };
  'signIn.open': SignInOpenEvent;
  /** A job changed what the backup holds (or, for a restore, what a source holds): views refresh. */
  'history.changed': { kind: string; jobId?: string; userKey?: string };
}

export type EventName = keyof Events;

/** The allowlist the preload and the web shim expose; keep in step with Channels (a test checks). */
export const CHANNELS = [
  'app.status',
  'diagnostics.report',
  'profile.create',
  'profile.unlock',
  'profile.lock',
  'accounts.list',
  'accounts.addSample',
  'accounts.addVcard',
  'accounts.remove',
  'backup.configure',
  'backup.run',
  'contacts.list',
  'contacts.ids',
  'contacts.get',
  'folders.list',
  'snapshots.list',
  'tasks.list',
  'tasks.cancel',
  'tasks.resume',
  'restore.preview',
  'restore.start',
  'restore.targets',
  'export.start',
  'delete.start',
  'audit.list',
  'licence.status',
  'licence.install',
  'users.setEnabled',
  'users.refresh',
  'schedule.get',
  'schedule.set',
  'settings.get',
  'settings.set',
  'snapshots.diff',
  'check.start',
  'export.choosePath',
  'accounts.signInOptions',
  'accounts.connect',
  'accounts.reconnect',
  'accounts.cancelSignIn',
  'accounts.connectWorkspace',
  'accounts.connectTenant',
  'profile.createRecoveryKey',
  'profile.unlockWithRecoveryKey',
  'providers.list',
  'accounts.connectForm',
  'schedule.next',
  'retention.get',
  'retention.set',
  'profile.rename',
  'profile.changePassword',
  'profile.delete',
  'source.choosePath',
  'accounts.addPst',
] as const satisfies readonly Channel[];

/** The lowest zxcvbn score a backup password may have (core and UI judge alike). */
export const MIN_PASSWORD_SCORE = 3;

export const EVENTS = [
  'tasks.changed',
  'notification',
  'session.changed',
  'backup.finished',
  'signIn.open',
  'history.changed',
] as const satisfies readonly EventName[];

/** What window.contactsBackup looks like, in Electron (preload) and in the browser (web shim). */
export interface ContactsBackupApi {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}
