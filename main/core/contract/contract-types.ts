/**
 * The API contract as its callers see it: the Result shape, the channel types (derived from the one
 * channel table, channels.ts) and names (channel-names.ts, held to the table by the compiler), the
 * named view and request types (`z.infer` of the schemas in schemas.ts, so a type cannot disagree
 * with its schema), the events and what window.contactsBackup looks like. The preload and the
 * renderer import this file only; it imports zod and the schemas as types only, so their bundles
 * carry no zod.
 */
import type { z } from 'zod';
import type * as schemas from './schemas';
import type { DeepReadonly } from './schemas';
import type { Channel, RequestOf, ResponseOf } from './channels';

export { CHANNELS } from './channel-names';
export type { Channel, RequestOf, ResponseOf } from './channels';
export type { DeepReadonly } from './schemas';

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

/** A view type: the schema's output, readonly. */
type View<S extends z.ZodType> = DeepReadonly<z.output<S>>;

// Named types, each `z.infer` of its schema in schemas.ts (the names the rest of the code uses).
export type ProfileView = View<typeof schemas.profileView>;
export type SessionView = View<typeof schemas.sessionView>;
export type AppStatus = View<typeof schemas.appStatus>;
export type AccountUserView = View<typeof schemas.accountUserView>;
export type AccountView = View<typeof schemas.accountView>;
/** One input of a provider's connect form (providers/provider-descriptor.ts ConnectField). */
export type ConnectFieldView = View<typeof schemas.connectFieldView>;
/** A source kind the app can connect: the public part of its registry descriptor. */
export type ProviderView = View<typeof schemas.providerView>;
/** A row of the contacts list (the history's own summary shape; schemas.ts ties the two). */
export type ContactSummaryView = View<typeof schemas.contactSummaryView>;
export type VersionView = View<typeof schemas.versionView>;
export type ContactDetailsView = View<typeof schemas.contactDetailsView>;
export type FolderView = View<typeof schemas.folderView>;
export type SnapshotView = View<typeof schemas.snapshotView>;
export type RestoreMode = z.output<typeof schemas.restoreMode>;
export type RestoreRequest = DeepReadonly<z.input<typeof schemas.restoreRequest>>;
/** A place a restore can go, or one that is not offered and why. */
export type RestoreTargetView = View<typeof schemas.restoreTargetView>;
/** The targets of a restore from one user (Restore dialog, `restore --list-targets`). */
export type RestoreTargetsView = View<typeof schemas.restoreTargetsView>;
export type RestorePlanView = View<typeof schemas.restorePlanView>;
export type ExportFormat = z.output<typeof schemas.exportFormat>;
export type ExportRequest = DeepReadonly<z.input<typeof schemas.exportRequest>>;
export type DeleteRequest = DeepReadonly<z.input<typeof schemas.deleteRequest>>;
export type AuditEntryView = View<typeof schemas.auditEntryView>;
export type LicenceView = View<typeof schemas.licenceView>;
export type ScheduleView = View<typeof schemas.scheduleView>;
/** The next automatic backup of any user of the profile ("Next backup at ..."). */
export type NextBackupView = View<typeof schemas.nextBackupView>;
/** How long old revisions are kept (product.md B6). */
export type RetentionSettingsView = View<typeof schemas.retentionSettings>;
export type RetentionView = View<typeof schemas.retentionView>;
export type SettingsView = View<typeof schemas.settingsView>;
export type DiffView = View<typeof schemas.diffView>;
/** What a contacts list shows: one user (or all), a folder, a moment, a search. */
export type ContactsFilter = z.input<typeof schemas.contactsFilter>;
/** The columns a contacts list can be sorted by. */
export type ContactSort = z.output<typeof schemas.contactSort>;
/** Which sign-ins this build can offer with its own app registrations (issue 14, item 1). */
export type SignInOptionsView = View<typeof schemas.signInOptionsView>;
/** Connect Google / Microsoft from the app: the app's registration, or the user's own client id. */
export type ConnectRequest = DeepReadonly<z.input<typeof schemas.connectRequest>>;
/** What connecting did: a new account, or a new sign-in of the account that had this mailbox. */
export type ConnectResultView = View<typeof schemas.connectResultView>;
/** Google Workspace (business edition): a service-account key with domain-wide delegation. */
export type ConnectWorkspaceRequest = DeepReadonly<z.input<typeof schemas.connectWorkspaceRequest>>;
/** A Microsoft 365 tenant (business edition): app-only access with the app's client secret. */
export type ConnectTenantRequest = DeepReadonly<z.input<typeof schemas.connectTenantRequest>>;

export interface NotificationView {
  readonly title: string;
  readonly body: string;
  readonly kind: 'info' | 'warning' | 'error';
  /** The job it is about: the toast links to it in the Task Manager. */
  readonly jobId?: string;
  /**
   * The account it asks the user to sign in again (a "Sign-in needed" warning, a backup that failed
   * for it): windows drop it once that account is signed in, wherever that happened.
   */
  readonly signInOf?: string;
}

/**
 * Rows per `contacts.list` page the renderer asks for. The saved first screen
 * (history/first-screen.ts, FIRST_SCREEN_ROWS) holds one such page; a test keeps the two equal.
 */
export const LIST_PAGE_SIZE = 200;

/** The sign-in address the window opens (browser host: a new tab; Electron opened it already). */
export interface SignInOpenEvent {
  readonly provider: 'google' | 'microsoft';
  readonly url: string;
  readonly openedByHost: boolean;
}

/** Events pushed from the main process; the only messages that are not answers. */
export interface Events {
  /** Jobs as `tasks.list` gives them. */
  'tasks.changed': ResponseOf<'tasks.list'>;
  notification: NotificationView;
  'session.changed': SessionView | null;
  'backup.finished': { userKey: string; jobId: string };
  'signIn.open': SignInOpenEvent;
  /** A job changed what the backup holds (or, for a restore, what a source holds): views refresh. */
  'history.changed': { kind: string; jobId?: string; userKey?: string };
}

export type EventName = keyof Events;

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
