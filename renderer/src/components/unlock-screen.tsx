/**
 * First run (create a profile) and unlock (pick a profile, type its password, or use a recovery key
 * and set a new password). A password below the minimum strength is refused here with the
 * estimator's advice, and again by the core. Nothing else of the app is visible until a profile is
 * unlocked.
 */
import { useState, type FormEvent } from 'react';
import type { ApiError, AppStatus } from '../lib/api-types';
import { usePasswordCheck } from '../lib/password-check';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';
import { StrengthMeter } from './strength-meter';

export function UnlockScreen({ status }: { readonly status: AppStatus }) {
  const [recovering, setRecovering] = useState(false);
  let form;
  if (status.profiles.length === 0) form = <CreateProfileForm />;
  else if (recovering) form = <RecoveryKeyForm status={status} onCancel={() => setRecovering(false)} />;
  else form = <UnlockForm status={status} onUseRecoveryKey={() => setRecovering(true)} />;
  return (
    <main className="unlock" id="main" tabIndex={-1}>
      <div className="unlock-card">{form}</div>
    </main>
  );
}

/** A new password typed twice: the local problem to show, or undefined when it may be sent. */
function newPasswordProblem(
  password: string,
  confirm: string,
  check: ReturnType<typeof usePasswordCheck>,
): string | undefined {
  if (password.length < 8) return strings.unlock.passwordTooShort;
  if (!check) return strings.unlock.checkingStrength;
  // The advice itself is under the meter; the alert points to it rather than repeating it.
  if (!check.acceptable) return strings.unlock.chooseStronger;
  if (password !== confirm) return strings.unlock.passwordsDiffer;
  return undefined;
}

function CreateProfileForm() {
  const createProfile = useStore((s) => s.createProfile);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [makeKey, setMakeKey] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [localProblem, setLocalProblem] = useState<string | undefined>();
  const check = usePasswordCheck(password);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = newPasswordProblem(password, confirm, check);
    setLocalProblem(problem);
    if (problem) return;
    setBusy(true);
    const failure = await createProfile(name.trim(), password, makeKey);
    setBusy(false);
    setError(failure);
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
          aria-describedby="no-recovery"
          onChange={(e) => {
            setPassword(e.target.value);
            setLocalProblem(undefined);
          }}
        />
      </label>
      <StrengthMeter password={password} check={check} />
      <label className="field">
        <span>{strings.unlock.confirmPassword}</span>
        <input
          data-testid="password-confirm"
          type="password"
          value={confirm}
          required
          autoComplete="new-password"
          onChange={(e) => {
            setConfirm(e.target.value);
            setLocalProblem(undefined);
          }}
        />
      </label>
      <p className="warning-note" id="no-recovery" data-testid="no-recovery-note">
        {strings.unlock.noRecovery}
      </p>
      <label className="check-field">
        <input
          type="checkbox"
          data-testid="make-recovery-key"
          checked={makeKey}
          onChange={(e) => setMakeKey(e.target.checked)}
        />
        <span>{strings.unlock.makeRecoveryKey}</span>
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

function ProfileSelect({
  status,
  value,
  onChange,
  testId,
}: {
  readonly status: AppStatus;
  readonly value: string;
  readonly onChange: (id: string) => void;
  readonly testId: string;
}) {
  return (
    <label className="field">
      <span>{strings.unlock.profile}</span>
      <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
        {status.profiles.map((profile) => (
          <option key={profile.id} value={profile.id}>
            {profile.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function UnlockForm({
  status,
  onUseRecoveryKey,
}: {
  readonly status: AppStatus;
  readonly onUseRecoveryKey: () => void;
}) {
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
      <ProfileSelect status={status} value={profileId} onChange={setProfileId} testId="unlock-profile" />
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
      <button type="button" className="button-link" data-testid="use-recovery-key" onClick={onUseRecoveryKey}>
        {strings.unlock.useRecoveryKey}
      </button>
    </form>
  );
}

function RecoveryKeyForm({
  status,
  onCancel,
}: {
  readonly status: AppStatus;
  readonly onCancel: () => void;
}) {
  const unlockWithRecoveryKey = useStore((s) => s.unlockWithRecoveryKey);
  const [profileId, setProfileId] = useState(status.profiles[0]?.id ?? '');
  const [key, setKey] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [localProblem, setLocalProblem] = useState<string | undefined>();
  const check = usePasswordCheck(password);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = newPasswordProblem(password, confirm, check);
    setLocalProblem(problem);
    if (problem) return;
    setBusy(true);
    const failure = await unlockWithRecoveryKey(profileId, key.trim(), password);
    setBusy(false);
    setError(failure);
  };

  return (
    <form className="form" onSubmit={submit} data-testid="recovery-form" aria-labelledby="recovery-title">
      <h1 id="recovery-title">{strings.recovery.unlockTitle}</h1>
      <p>{strings.recovery.unlockIntro}</p>
      <ProfileSelect status={status} value={profileId} onChange={setProfileId} testId="recovery-profile" />
      <label className="field">
        <span>{strings.recovery.key}</span>
        <input
          data-testid="recovery-key-input"
          value={key}
          required
          autoFocus
          autoComplete="off"
          spellCheck={false}
          placeholder={strings.recovery.keyPlaceholder}
          onChange={(e) => setKey(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{strings.recovery.newPassword}</span>
        <input
          data-testid="recovery-new-password"
          type="password"
          value={password}
          required
          minLength={8}
          autoComplete="new-password"
          onChange={(e) => {
            setPassword(e.target.value);
            setLocalProblem(undefined);
          }}
        />
      </label>
      <StrengthMeter password={password} check={check} />
      <label className="field">
        <span>{strings.recovery.confirmNewPassword}</span>
        <input
          data-testid="recovery-new-password-confirm"
          type="password"
          value={confirm}
          required
          autoComplete="new-password"
          onChange={(e) => {
            setConfirm(e.target.value);
            setLocalProblem(undefined);
          }}
        />
      </label>
      {localProblem ? (
        <p className="error-message" role="alert" data-testid="form-problem">
          {localProblem}
        </p>
      ) : null}
      <ErrorMessage error={error} testId="unlock-error" />
      <button type="submit" className="button button-primary" data-testid="recovery-submit" disabled={busy}>
        {busy ? strings.recovery.unlocking : strings.recovery.unlockAndSet}
      </button>
      <button type="button" className="button-link" data-testid="back-to-password" onClick={onCancel}>
        {strings.unlock.backToPassword}
      </button>
    </form>
  );
}
