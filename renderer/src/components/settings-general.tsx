/**
 * Settings > Notifications (issue 16 item 1): each kind of notification on or off, start at login and
 * the idle lock. Each change is saved at once; the core's answer is what the controls then show.
 */
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ApiError, RequestOf } from '../lib/api-types';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';

const KINDS = ['jobCreated', 'jobFailed', 'massDeletion', 'signInNeeded'] as const;

export function GeneralSettings() {
  const { settings, settingsError, loadSettings, saveSettings } = useStore(
    useShallow((s) => ({
      settings: s.settings,
      settingsError: s.settingsError,
      loadSettings: s.loadSettings,
      saveSettings: s.saveSettings,
    })),
  );
  const [error, setError] = useState<ApiError | undefined>();
  const [idle, setIdle] = useState<string | undefined>();
  useEffect(() => {
    void loadSettings();
  }, [loadSettings]);

  const save = async (changes: RequestOf<'settings.set'>) => {
    const result = await saveSettings(changes);
    setError(result.ok ? undefined : result.error);
  };
  const s = strings.notificationSettings;
  return (
    <section className="panel" aria-labelledby="settings-notifications" data-testid="settings-notifications">
      <h2 id="settings-notifications">{s.title}</h2>
      <ErrorMessage error={settingsError} onRetry={loadSettings} />
      {settings ? (
        <div className="form">
          <p className="muted">{s.intro}</p>
          {KINDS.map((kind) => (
            <label className="check" key={kind}>
              <input
                type="checkbox"
                data-testid={`notify-${kind}`}
                checked={settings.notifications[kind]}
                onChange={(e) =>
                  void save({ notifications: { ...settings.notifications, [kind]: e.target.checked } })
                }
              />
              <span>{s[kind]}</span>
            </label>
          ))}
          <label className="check">
            <input
              type="checkbox"
              data-testid="start-at-login"
              checked={settings.startAtLogin}
              onChange={(e) => void save({ startAtLogin: e.target.checked })}
            />
            <span>{s.startAtLogin}</span>
          </label>
          <label className="field-inline">
            <span>{s.idleLock}</span>
            <input
              type="number"
              min={0}
              max={1440}
              data-testid="idle-lock-minutes"
              value={idle ?? String(settings.idleLockMinutes)}
              onChange={(e) => setIdle(e.target.value)}
              onBlur={() => {
                if (idle === undefined) return;
                const minutes = Math.max(0, Math.min(1440, Math.floor(Number(idle) || 0)));
                setIdle(undefined);
                void save({ idleLockMinutes: minutes });
              }}
            />
          </label>
        </div>
      ) : null}
      <ErrorMessage error={error} testId="settings-error" />
    </section>
  );
}
