/**
 * The profile's settings as the Dashboard and Settings show them: the next automatic backup
 * ("Next backup at ..."), the general settings (notifications, start at login, idle lock),
 * retention (and applying it now), and per user how many contacts are kept out of backups. Reloaded
 * after every change and after each `history.changed` push, so they never go stale.
 */
import { call } from '../lib/api-client';
import type { ApiError, RequestOf, ResponseOf, Result } from '../lib/api-types';
import { strings } from '../strings';
import type { SliceCreator } from './store-types';

type Settings = ResponseOf<'settings.get'>;
type Retention = ResponseOf<'retention.get'>;
type NextBackup = ResponseOf<'schedule.next'>;
type RetentionApplied = ResponseOf<'retention.apply'>;
type ExclusionsCleared = ResponseOf<'exclusions.clear'>;

export interface SettingsSlice {
  nextBackup: NextBackup | undefined;
  settings: Settings | undefined;
  settingsError: ApiError | undefined;
  retention: Retention | undefined;
  retentionError: ApiError | undefined;
  loadNextBackup(): Promise<void>;
  loadSettings(): Promise<void>;
  saveSettings(changes: RequestOf<'settings.set'>): Promise<Result<Settings>>;
  loadRetention(): Promise<void>;
  saveRetention(settings: RequestOf<'retention.set'>): Promise<Result<Retention>>;
  /** Applies the saved retention policy now; a toast says what it removed. */
  applyRetention(): Promise<Result<RetentionApplied>>;
  /** Per userKey, how many contacts are kept out of backups ("Keep them out of later backups"). */
  keptOut: Readonly<Record<string, number>>;
  loadKeptOut(userKey: string): Promise<Result<number>>;
  /** Lets a user's kept-out contacts back in (the next backup stores them); a toast says how many. */
  letKeptOutBackIn(userKey: string): Promise<Result<ExclusionsCleared>>;
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set, get) => ({
  nextBackup: undefined,
  settings: undefined,
  settingsError: undefined,
  retention: undefined,
  retentionError: undefined,
  keptOut: {},

  async loadNextBackup() {
    const result = await call('schedule.next', {});
    set({ nextBackup: result.ok ? result.value : undefined });
  },

  async loadSettings() {
    const result = await call('settings.get', {});
    if (result.ok) set({ settings: result.value, settingsError: undefined });
    else set({ settingsError: result.error });
  },

  async saveSettings(changes) {
    // Shown at once (a checkbox follows the click); the core's answer, or the old value, follows.
    const before = get().settings;
    if (before) set({ settings: { ...before, ...changes } });
    const result = await call('settings.set', changes);
    set({ settings: result.ok ? result.value : before });
    return result;
  },

  async loadRetention() {
    const result = await call('retention.get', {});
    if (result.ok) set({ retention: result.value, retentionError: undefined });
    else set({ retentionError: result.error });
  },

  async saveRetention(settings) {
    const result = await call('retention.set', settings);
    if (result.ok) set({ retention: result.value });
    void get().loadNextBackup();
    return result;
  },

  async applyRetention() {
    const result = await call('retention.apply', {});
    if (result.ok) {
      const { revisionsRemoved, contactsRemoved } = result.value;
      // A summary: a second Apply within seconds replaces the first one's sentence.
      get().pushToast({
        title: strings.retention.appliedTitle,
        body: strings.retention.applied(revisionsRemoved, contactsRemoved),
        kind: 'info',
        summary: true,
      });
    }
    return result;
  },

  async loadKeptOut(userKey) {
    const result = await call('exclusions.list', { userKey });
    if (!result.ok) return result;
    const count = result.value.sourceIds.length;
    set((state) => ({ keptOut: { ...state.keptOut, [userKey]: count } }));
    return { ok: true, value: count };
  },

  async letKeptOutBackIn(userKey) {
    const result = await call('exclusions.clear', { userKey });
    if (result.ok) {
      get().pushToast({
        title: strings.keptOut.clearedTitle,
        body: strings.keptOut.cleared(result.value.cleared),
        kind: 'info',
        summary: true,
      });
    }
    await get().loadKeptOut(userKey);
    return result;
  },
});
