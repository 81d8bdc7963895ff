/**
 * First run (create a profile) and unlock (pick a profile, type its password). A wrong password
 * shows the server's sentence; nothing else of the app is visible until a profile is unlocked.
 */
import { useState, type FormEvent } from 'react';
import type { ApiError, AppStatus } from '../lib/api-types';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';
import { StrengthMeter } from './strength-meter';

export function UnlockScreen({ status }: { readonly status: AppStatus }) {
  return (
    <main className="unlock" id="main" tabIndex={-1}>
      <div className="unlock-card">
        {status.profiles.length === 0 ? <CreateProfileForm /> : <UnlockForm status={status} />}
      </div>
    </main>
  );
}

function CreateProfileForm() {
  const createProfile = useStore((s) => s.createProfile);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [localProblem, setLocalProblem] = useState<string | undefined>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password.length < 8) return setLocalProblem(strings.unlock.passwordTooShort);
    if (password !== confirm) return setLocalProblem(strings.unlock.passwordsDiffer);
    setLocalProblem(undefined);
    setBusy(true);
    const problem = await createProfile(name.trim(), password);
    setBusy(false);
    setError(problem);
  };

  return (
    <form className="form" onSubmit={submit} data-testid="create-profile-form" aria-labelledby="create-title">
      <h1 id="create-title">{strings.unlock.firstRunTitle}</h1>
      <p>{strings.unlock.firstRunIntro}</p>
      <label className="field">
        <span>{strings.unlock.profileName}</span>
        <input
          data-testid="profile-name"
          value={name}
          required
          maxLength={80}
          autoComplete="username"
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{strings.unlock.password}</span>
        <input
          data-testid="password"
          type="password"
          value={password}
          required
          minLength={8}
          autoComplete="new-password"
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <StrengthMeter password={password} />
      <label className="field">
        <span>{strings.unlock.confirmPassword}</span>
        <input
          data-testid="password-confirm"
          type="password"
          value={confirm}
          required
          autoComplete="new-password"
          onChange={(e) => setConfirm(e.target.value)}
        />
      </label>
      {localProblem ? (
        <p className="error-message" role="alert" data-testid="form-problem">
          {localProblem}
        </p>
      ) : null}
      <ErrorMessage error={error} testId="unlock-error" />
      <button
        type="submit"
        className="button button-primary"
        data-testid="create-profile-submit"
        disabled={busy}
      >
        {busy ? strings.unlock.creating : strings.unlock.create}
      </button>
    </form>
  );
}

function UnlockForm({ status }: { readonly status: AppStatus }) {
  const unlock = useStore((s) => s.unlock);
  const [profileId, setProfileId] = useState(status.profiles[0]?.id ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const problem = await unlock(profileId, password);
    setBusy(false);
    setError(problem);
    if (problem) setPassword('');
  };

  return (
    <form className="form" onSubmit={submit} data-testid="unlock-form" aria-labelledby="unlock-title">
      <h1 id="unlock-title">{strings.unlock.unlockTitle}</h1>
      <label className="field">
        <span>{strings.unlock.profile}</span>
        <select data-testid="unlock-profile" value={profileId} onChange={(e) => setProfileId(e.target.value)}>
          {status.profiles.map((profile) => (
            <option key={profile.id} value={profile.id}>
              {profile.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{strings.unlock.password}</span>
        <input
          data-testid="unlock-password"
          type="password"
          value={password}
          required
          autoFocus
          autoComplete="current-password"
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <ErrorMessage error={error} testId="unlock-error" />
      <button type="submit" className="button button-primary" data-testid="unlock-submit" disabled={busy}>
        {busy ? strings.unlock.unlocking : strings.unlock.unlock}
      </button>
    </form>
  );
}
