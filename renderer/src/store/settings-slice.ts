/**
 * The profile's settings as the Dashboard and Settings show them: the next automatic backup
 * ("Next backup at ..."), the general settings (notifications, start at login, idle lock) and
 * retention. Reloaded after every change and after each `history.changed` push, so they never go stale.
 */
import { call } from '../lib/api-client';
import type { ApiError, RequestOf, ResponseOf, Result } from '../lib/api-types';
import type { SliceCreator } from './store-types';

type Settings = ResponseOf<'settings.get'>;
type Retention = ResponseOf<'retention.get'>;
type NextBackup = ResponseOf<'schedule.next'>;

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
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set, get) => ({
  nextBackup: undefined,
  settings: undefined,
  settingsError: undefined,
  retention: undefined,
  retentionError: undefined,

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
});
