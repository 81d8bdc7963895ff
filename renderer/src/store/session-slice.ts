/**
 * Who is using the app: the profiles from `app.status` and the unlocked session. Locking or a
 * `session.changed` push to another profile clears every data slice, because on a shared desktop one
 * person's contacts must never stay on screen for the next (product.md D10).
 */
import { call } from '../lib/api-client';
import type { ApiError, AppStatus, AuditEntryView, LicenceView, Result, SessionView } from '../lib/api-types';
import type { SliceCreator, StoreState } from './store-types';

export interface SessionSlice {
  appStatus: AppStatus | undefined;
  statusError: ApiError | undefined;
  statusLoading: boolean;
  session: SessionView | null;
  loadStatus(): Promise<void>;
  /**
   * Resolves to the server's error, or undefined when the profile was created and unlocked. With
   * `recoveryKey` a recovery key is made at once and shown (see `recoveryKeyShown`).
   */
  createProfile(name: string, password: string, recoveryKey?: boolean): Promise<ApiError | undefined>;
  unlock(profileId: string, password: string): Promise<ApiError | undefined>;
  /** Opens a profile with its recovery key and sets a new backup password. */
  unlockWithRecoveryKey(
    profileId: string,
    recoveryKey: string,
    newPassword: string,
  ): Promise<ApiError | undefined>;
  /** Makes a new recovery key for the open profile (the password confirmed again) and shows it. */
  createRecoveryKey(password: string): Promise<ApiError | undefined>;
  /** A recovery key to show once, over everything else, until the person says it is saved. */
  recoveryKeyShown: string | undefined;
  /** True from a first-run Save until its recovery key is made: the first-run screen stays up. */
  makingRecoveryKey: boolean;
  dismissRecoveryKey(): void;
  lock(): Promise<ApiError | undefined>;
  setSession(session: SessionView | null): void;
  /** The profile's audit log (Settings); kept here because it belongs to the unlocked profile. */
  audit: readonly AuditEntryView[] | undefined;
  auditError: ApiError | undefined;
  loadAudit(search: string): Promise<void>;
  /** The licence that covers this profile's users (S1), for Settings. */
  licence: LicenceView | undefined;
  licenceError: ApiError | undefined;
  loadLicence(): Promise<void>;
  installLicence(key: string): Promise<Result<LicenceView>>;
}

/** The data that belongs to one unlocked profile; cleared when the session changes. */
export function profileDataReset(): Partial<StoreState> {
  return {
    accounts: undefined,
    accountsError: undefined,
    browseUserKey: undefined,
    browseFolderId: undefined,
    browseSearch: '',
    browseAt: undefined,
    list: undefined,
    listError: undefined,
    folders: undefined,
    foldersError: undefined,
    snapshots: undefined,
    details: undefined,
    detailsError: undefined,
    detailsId: undefined,
    detailsSnapshotId: undefined,
    checkedIds: new Set<string>(),
    activeIndex: 0,
    jobs: [],
    tasksError: undefined,
    audit: undefined,
    auditError: undefined,
    licence: undefined,
    licenceError: undefined,
    dialog: undefined,
    recoveryKeyShown: undefined,
    nextBackup: undefined,
    settings: undefined,
    settingsError: undefined,
    retention: undefined,
    retentionError: undefined,
    keptOut: {},
  };
}

export const createSessionSlice: SliceCreator<SessionSlice> = (set, get) => ({
  appStatus: undefined,
  statusError: undefined,
  statusLoading: false,
  session: null,
  recoveryKeyShown: undefined,
  makingRecoveryKey: false,
  audit: undefined,
  auditError: undefined,
  licence: undefined,
  licenceError: undefined,

  async loadStatus() {
    set({ statusLoading: true, statusError: undefined });
    const result = await call('app.status', {});
    if (result.ok) {
      set({ appStatus: result.value, statusLoading: false });
      get().setSession(result.value.session ?? null);
    } else {
      set({ statusError: result.error, statusLoading: false });
    }
  },

  async createProfile(name, password, recoveryKey = false) {
    // The core announces the new session before the key is made: without this the dashboard would
    // flash up between the first-run form and the key.
    if (recoveryKey) set({ makingRecoveryKey: true });
    const result = await call('profile.create', { name, password });
    if (!result.ok) {
      set({ makingRecoveryKey: false });
      return result.error;
    }
    // The profile exists either way; a key that could not be made can be made in Settings.
    const made = recoveryKey ? await call('profile.createRecoveryKey', { password }) : undefined;
    get().setSession(result.value);
    set({ makingRecoveryKey: false, ...(made?.ok ? { recoveryKeyShown: made.value.recoveryKey } : {}) });
    const status = get().appStatus;
    if (status) {
      set({
        appStatus: {
          ...status,
          profiles: [...status.profiles, { id: result.value.profileId, name: result.value.profileName }],
          session: result.value,
        },
      });
    }
    return undefined;
  },

  async unlock(profileId, password) {
    const result = await call('profile.unlock', { profileId, password });
    if (!result.ok) return result.error;
    get().setSession(result.value);
    return undefined;
  },

  async unlockWithRecoveryKey(profileId, recoveryKey, newPassword) {
    const result = await call('profile.unlockWithRecoveryKey', { profileId, recoveryKey, newPassword });
    if (!result.ok) return result.error;
    get().setSession(result.value);
    return undefined;
  },

  async createRecoveryKey(password) {
    const result = await call('profile.createRecoveryKey', { password });
    if (!result.ok) return result.error;
    set({ recoveryKeyShown: result.value.recoveryKey });
    return undefined;
  },

  dismissRecoveryKey() {
    set({ recoveryKeyShown: undefined });
  },

  async lock() {
    const result = await call('profile.lock', {});
    if (!result.ok) return result.error;
    get().setSession(null);
    return undefined;
  },

  async loadAudit(search) {
    const result = await call('audit.list', search.trim() ? { search: search.trim() } : {});
    if (result.ok) set({ audit: result.value, auditError: undefined });
    else set({ auditError: result.error });
  },

  async loadLicence() {
    const result = await call('licence.status', {});
    if (result.ok) set({ licence: result.value, licenceError: undefined });
    else set({ licenceError: result.error });
  },

  async installLicence(key) {
    const result = await call('licence.install', { key });
    if (result.ok) set({ licence: result.value, licenceError: undefined });
    return result;
  },

  setSession(session) {
    const previous = get().session;
    if (previous?.profileId === session?.profileId) {
      set({ session });
      return;
    }
    set({ session, ...profileDataReset() });
  },
});
