/**
 * The "Connect an account" panel (issue 14): Google, Microsoft 365 / Outlook.com, the waiting state
 * while the browser signs in, the outcome (with Configure Backup next), and the business edition.
 * Mounted on the first-run screen, the Dashboard and Settings. Also "Sign in again" for an account
 * whose grant was revoked.
 */
import { useEffect, useState } from 'react';
import type { AccountView, ApiError, Result, ResponseOf } from '../lib/api-types';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ConnectBusiness } from './connect-business';
import { ConnectGoogle } from './connect-google';
import { ConnectMicrosoft } from './connect-microsoft';
import { ErrorMessage } from './error-message';
import { SignInWaiting } from './sign-in-waiting';

/** What the provider panels report when a connect request answers. */
export type ConnectOutcomeHandler = (result: Result<ResponseOf<'accounts.connect'>>) => void;

export function ConnectAccounts({ business = true }: { readonly business?: boolean }) {
  const loadSignInOptions = useStore((s) => s.loadSignInOptions);
  const [error, setError] = useState<ApiError | undefined>();
  const outcome = useStore((s) => s.connectNotice);
  const waiting = useStore((s) => s.signIn !== undefined);
  useEffect(() => {
    void loadSignInOptions();
  }, [loadSignInOptions]);

  const onDone: ConnectOutcomeHandler = (result) => {
    setError(result.ok || result.error.code === 'cancelled' ? undefined : result.error);
  };

  return (
    <section
      className="panel connect-accounts"
      aria-labelledby="connect-title"
      data-testid="connect-accounts"
    >
      <h2 id="connect-title">{strings.connect.title}</h2>
      <p className="muted">{strings.connect.intro}</p>
      <div className="connect-grid">
        <ConnectGoogle onDone={onDone} />
        <ConnectMicrosoft onDone={onDone} />
      </div>
      <SignInWaiting />
      {/* A new attempt replaces the sentence about the previous one. */}
      <ErrorMessage error={waiting ? undefined : error} testId="connect-error" />
      {outcome ? (
        <p className="outcome" role="status" data-testid="connect-result">
          {outcome}
        </p>
      ) : null}
      {business ? <ConnectBusiness /> : null}
    </section>
  );
}

/** "Sign in again" for an account in "sign-in needed": same account, history and cursors. */
export function SignInAgain({ account }: { readonly account: AccountView }) {
  const reconnect = useStore((s) => s.reconnect);
  const busy = useStore((s) => s.signIn !== undefined);
  const waitingHere = useStore((s) => s.signIn?.accountId === account.id);
  const [error, setError] = useState<ApiError | undefined>();
  const [done, setDone] = useState<string | undefined>();
  if (account.kind !== 'google' && account.kind !== 'microsoft') return null;
  const run = async () => {
    setDone(undefined);
    const result = await reconnect(account);
    setError(result.ok || result.error.code === 'cancelled' ? undefined : result.error);
    if (result.ok) setDone(strings.connect.signedInAgain(result.value.label));
  };
  return (
    <div className="sign-in-again">
      {account.status === 'sign-in-needed' ? (
        <button
          type="button"
          className="button button-primary"
          data-testid="sign-in-again"
          disabled={busy}
          onClick={() => void run()}
        >
          {strings.connect.signInAgain}
        </button>
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
