/**
 * Settings > Profiles (issue 16 item 1): rename this profile, switch to another with its password,
 * create one, delete one with its password, and change this profile's backup password.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { call } from '../lib/api-client';
import type { ApiError } from '../lib/api-types';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';

const s = strings.profiles;

export function ProfileSettings() {
  const { session, appStatus, loadStatus, unlock, createProfile, setSession } = useStore(
    useShallow((state) => ({
      session: state.session,
      appStatus: state.appStatus,
      loadStatus: state.loadStatus,
      unlock: state.unlock,
      createProfile: state.createProfile,
      setSession: state.setSession,
    })),
  );
  const others = (appStatus?.profiles ?? []).filter((profile) => profile.id !== session?.profileId);
  const current = session ? { id: session.profileId, name: session.profileName } : undefined;

  return (
    <section className="panel" aria-labelledby="settings-profiles" data-testid="settings-profiles">
      <h2 id="settings-profiles">{s.title}</h2>
      {current ? (
        <>
          <h3>{s.current}</h3>
          <PasswordForm
            testId="profile-rename"
            label={s.rename}
            fields={[{ name: 'name', label: s.newName, type: 'text', initial: current.name }]}
            onSubmit={async ({ name }) => {
              const result = await call('profile.rename', { name });
              if (!result.ok) return result.error;
              setSession(result.value);
              await loadStatus();
              return s.renamed;
            }}
          />
          <details className="settings-more">
            <summary data-testid="profile-password-open">{s.changePassword}</summary>
            <ChangePassword />
          </details>
          <DeleteProfile id={current.id} name={current.name} onDeleted={loadStatus} />
        </>
      ) : null}
      <h3>{s.others}</h3>
      {others.length === 0 ? <p className="muted">{s.noOthers}</p> : null}
      <ul className="account-list">
        {others.map((profile) => (
          <li
            key={profile.id}
            className="account-item"
            data-testid="profile-item"
            data-profile-name={profile.name}
          >
            <PasswordForm
              testId="profile-switch"
              label={s.switch}
              fields={[{ name: 'password', label: s.passwordOf(profile.name), type: 'password' }]}
              legend={s.switchTo(profile.name)}
              onSubmit={async ({ password }) => unlock(profile.id, password)}
            />
            <DeleteProfile id={profile.id} name={profile.name} onDeleted={loadStatus} />
          </li>
        ))}
      </ul>
      <details className="settings-more">
        <summary data-testid="profile-create-open">{s.create}</summary>
        <PasswordForm
          testId="profile-create"
          label={s.createButton}
          fields={[
            { name: 'name', label: s.name, type: 'text' },
            { name: 'password', label: s.password, type: 'password' },
          ]}
          onSubmit={async ({ name, password }) => createProfile(name, password)}
        />
      </details>
    </section>
  );
}

function ChangePassword() {
  return (
    <PasswordForm
      testId="profile-password"
      label={s.changePassword}
      fields={[
        { name: 'current', label: s.currentPassword, type: 'password' },
        { name: 'next', label: s.newPassword, type: 'password' },
        { name: 'again', label: s.repeatPassword, type: 'password' },
      ]}
      onSubmit={async ({ current, next, again }) => {
        if (next !== again) return { code: 'invalid-request', message: s.mismatch, retryable: false };
        const result = await call('profile.changePassword', { currentPassword: current, newPassword: next });
        return result.ok ? s.passwordChanged : result.error;
      }}
    />
  );
}

function DeleteProfile({
  id,
  name,
  onDeleted,
}: {
  readonly id: string;
  readonly name: string;
  readonly onDeleted: () => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <button
        type="button"
        className="button"
        data-testid="profile-delete"
        aria-label={s.removeOf(name)}
        onClick={() => setOpen(true)}
      >
        {s.remove}
      </button>
    );
  return (
    <PasswordForm
      testId="profile-delete-form"
      label={s.removeConfirm}
      danger
      legend={<span role="alert">{s.removeWarning(name)}</span>}
      fields={[{ name: 'password', label: s.passwordOf(name), type: 'password' }]}
      onCancel={() => setOpen(false)}
      onSubmit={async ({ password }) => {
        const result = await call('profile.delete', { profileId: id, password });
        if (!result.ok) return result.error;
        await onDeleted();
        return undefined;
      }}
    />
  );
}

interface Field {
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'password';
  readonly initial?: string;
}

/**
 * A small form of a few fields; `onSubmit` answers an error, a sentence to show, or nothing.
 * Password fields are emptied after every attempt so no password stays on screen.
 */
function PasswordForm({
  testId,
  label,
  legend,
  fields,
  danger,
  onSubmit,
  onCancel,
}: {
  readonly testId: string;
  readonly label: string;
  readonly legend?: ReactNode;
  readonly fields: readonly Field[];
  readonly danger?: boolean;
  readonly onSubmit: (values: Record<string, string>) => Promise<ApiError | string | undefined>;
  readonly onCancel?: () => void;
}) {
  const initial = () => Object.fromEntries(fields.map((field) => [field.name, field.initial ?? '']));
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [error, setError] = useState<ApiError | undefined>();
  const [message, setMessage] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const outcome = await onSubmit(values);
    setBusy(false);
    setError(typeof outcome === 'object' ? outcome : undefined);
    setMessage(typeof outcome === 'string' ? outcome : undefined);
    setValues((current) =>
      Object.fromEntries(
        fields.map((field) => [field.name, field.type === 'password' ? '' : (current[field.name] ?? '')]),
      ),
    );
  };
  return (
    <form className="form inline-form" onSubmit={submit} data-testid={testId} aria-label={label}>
      {legend ? <p>{legend}</p> : null}
      {fields.map((field) => (
        <label className="field" key={field.name}>
          <span>{field.label}</span>
          <input
            type={field.type}
            data-testid={`${testId}-${field.name}`}
            autoComplete={field.type === 'password' ? 'off' : undefined}
            value={values[field.name] ?? ''}
            required
            onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
          />
        </label>
      ))}
      <div className="row">
        <button
          type="submit"
          className={danger ? 'button button-danger' : 'button'}
          data-testid={`${testId}-submit`}
          disabled={busy}
        >
          {label}
        </button>
        {onCancel ? (
          <button type="button" className="button" onClick={onCancel}>
            {strings.cancel}
          </button>
        ) : null}
      </div>
      <ErrorMessage error={error} testId={`${testId}-error`} />
      {message ? (
        <p role="status" className="outcome">
          {message}
        </p>
      ) : null}
    </form>
  );
}
