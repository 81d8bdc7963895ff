/**
 * "Sign in again" for an account in "sign-in needed" (issue 14, item 4): the same account, history
 * and cursors. A personal Google or Microsoft account signs in in the browser; a Workspace domain
 * takes a new service-account key file and a Microsoft 365 tenant a new client secret, typed here and
 * sent over the API into the vault (never a command line). The new credentials are tried (the users
 * are listed) before they replace the old ones, so a wrong key or secret changes nothing.
 */
import { useState, type FormEvent } from 'react';
import type { AccountView, ApiError, Result } from '../lib/api-types';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';
import { KeyFileInput } from './key-file-input';
import { SignInWaiting } from './sign-in-waiting';

type Credentials = { readonly keyJson?: string; readonly clientSecret?: string };

export function SignInAgain({ account }: { readonly account: AccountView }) {
  const reconnect = useStore((s) => s.reconnect);
  const busy = useStore((s) => s.signIn !== undefined);
  const waitingHere = useStore((s) => s.signIn?.accountId === account.id);
  const [error, setError] = useState<ApiError | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const [formOpen, setFormOpen] = useState(false);
  const renewal = account.renewal;
  if (!renewal) return null;
  const finish = (result: Result<AccountView>) => {
    setError(result.ok || result.error.code === 'cancelled' ? undefined : result.error);
    if (result.ok) {
      setDone(strings.connect.signedInAgain(result.value.label));
      setFormOpen(false);
    }
  };
  const run = async (credentials?: Credentials) => {
    setDone(undefined);
    finish(await reconnect(account, credentials));
  };
  const needed = account.status === 'sign-in-needed';
  return (
    <div className="sign-in-again">
      {needed ? (
        <button
          type="button"
          className="button button-primary"
          data-testid="sign-in-again"
          disabled={busy}
          aria-expanded={renewal === 'browser' ? undefined : formOpen}
          onClick={() => (renewal === 'browser' ? void run() : setFormOpen(!formOpen))}
        >
          {strings.connect.signInAgain}
        </button>
      ) : null}
      {needed && formOpen && renewal !== 'browser' ? (
        <RenewalForm renewal={renewal} onSubmit={(credentials) => run(credentials)} />
      ) : null}
      {waitingHere ? <SignInWaiting /> : null}
      <ErrorMessage error={error} testId="sign-in-again-error" />
      {done ? (
        <p role="status" data-testid="sign-in-again-result">
          {done}
        </p>
      ) : null}
    </div>
  );
}

/** The new key file or client secret of a business account. */
function RenewalForm({
  renewal,
  onSubmit,
}: {
  readonly renewal: 'key-file' | 'client-secret';
  readonly onSubmit: (credentials: Credentials) => Promise<void>;
}) {
  const [keyJson, setKeyJson] = useState<string | undefined>();
  const [clientSecret, setClientSecret] = useState('');
  const [checking, setChecking] = useState(false);
  const ready = renewal === 'key-file' ? keyJson !== undefined : clientSecret.length > 0;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    setChecking(true);
    await onSubmit(renewal === 'key-file' ? { keyJson } : { clientSecret });
    // The secret leaves the form whatever the answer: a wrong one is typed again.
    setClientSecret('');
    setChecking(false);
  };
  return (
    <form className="form renewal-form" onSubmit={(event) => void submit(event)} data-testid="renewal-form">
      <p className="muted">
        {renewal === 'key-file' ? strings.connect.renewKeyIntro : strings.connect.renewSecretIntro}
      </p>
      {renewal === 'key-file' ? (
        <KeyFileInput label={strings.connect.newKeyFile} testId="renewal-key-file" onKey={setKeyJson} />
      ) : (
        <label className="field">
          <span>{strings.connect.newSecret}</span>
          <input
            type="password"
            required
            autoComplete="off"
            data-testid="renewal-secret"
            value={clientSecret}
            onChange={(e) => setClientSecret(e.target.value)}
          />
        </label>
      )}
      <button type="submit" className="button" data-testid="renewal-submit" disabled={checking || !ready}>
        {checking ? strings.connect.checking : strings.connect.useNewCredentials}
      </button>
    </form>
  );
}
