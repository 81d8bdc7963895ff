/**
 * Settings > Recovery key: makes a new recovery key for the open profile (for profiles made without
 * one, or when the old key is lost). The backup password is asked again; the key is then shown once.
 */
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../lib/api-types';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';

export function RecoveryKeySettings() {
  const createRecoveryKey = useStore((s) => s.createRecoveryKey);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const failure = await createRecoveryKey(password);
    setBusy(false);
    setError(failure);
    setPassword('');
  };

  return (
    <section className="panel" aria-labelledby="settings-recovery" data-testid="settings-recovery">
      <h2 id="settings-recovery">{strings.recovery.settingsTitle}</h2>
      <p>{strings.recovery.settingsIntro}</p>
      <form className="form inline-form" onSubmit={submit} aria-label={strings.recovery.make}>
        <label className="field">
          <span>{strings.recovery.settingsPassword}</span>
          <input
            type="password"
            data-testid="settings-recovery-password"
            value={password}
            required
            autoComplete="current-password"
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <ErrorMessage error={error} />
        <button type="submit" className="button" data-testid="settings-recovery-make" disabled={busy}>
          {busy ? strings.recovery.making : strings.recovery.make}
        </button>
      </form>
    </section>
  );
}
