/**
 * The "Connect an account" panel (issue 14): Google, Microsoft 365 / Outlook.com, the waiting state
 * while the browser signs in, the outcome (with Configure Backup next), and the business edition.
 * Mounted on the first-run screen, the Dashboard and Settings ("Sign in again" is sign-in-again.tsx).
 */
import { useEffect, useState } from 'react';
import type { ApiError, Result, ResponseOf } from '../lib/api-types';
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
