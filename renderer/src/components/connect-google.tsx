/**
 * "Connect Google" (issue 14, items 1, 2 and 5): one click with the app's own OAuth client, or the
 * user's own client id with the steps to create one when this build ships none. "Other contacts"
 * are an opt-in of their own.
 */
import { useState, type FormEvent } from 'react';
import type { ConnectOutcomeHandler } from './connect-accounts';
import { useStore } from '../store/store';
import { strings } from '../strings';

export function ConnectGoogle({ onDone }: { readonly onDone: ConnectOutcomeHandler }) {
  const configured = useStore((s) => s.signInOptions?.google ?? false);
  const busy = useStore((s) => s.signIn !== undefined);
  const connect = useStore((s) => s.connect);
  const [otherContacts, setOtherContacts] = useState(false);
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');

  const start = async (event?: FormEvent, own = false) => {
    event?.preventDefault();
    onDone(
      await connect({
        provider: 'google',
        otherContacts: otherContacts || undefined,
        ...(own ? { clientId: clientId.trim(), clientSecret: clientSecret || undefined } : {}),
      }),
    );
  };

  return (
    <div className="connect-provider" data-testid="connect-google-panel">
      <label className="check">
        <input
          type="checkbox"
          checked={otherContacts}
          data-testid="connect-google-other-contacts"
          onChange={(e) => setOtherContacts(e.target.checked)}
        />
        <span>{strings.connect.otherContacts}</span>
      </label>
      {configured ? (
        <button
          type="button"
          className="button button-primary"
          data-testid="connect-google"
          disabled={busy}
          onClick={() => void start()}
        >
          {strings.connect.google}
        </button>
      ) : (
        <p className="notice" data-testid="connect-google-missing">
          {strings.connect.missingGoogle}
        </p>
      )}
      <details open={!configured} className="own-client">
        <summary>{strings.connect.ownId}</summary>
        <ol className="steps">
          {strings.connect.googleSteps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
        <form className="form" onSubmit={(e) => void start(e, true)}>
          <label className="field">
            <span>{strings.connect.clientId}</span>
            <input
              value={clientId}
              required
              data-testid="google-own-client-id"
              onChange={(e) => setClientId(e.target.value)}
            />
          </label>
          <label className="field">
            <span>{strings.connect.clientSecret}</span>
            <input
              type="password"
              value={clientSecret}
              autoComplete="off"
              data-testid="google-own-client-secret"
              onChange={(e) => setClientSecret(e.target.value)}
            />
          </label>
          <button type="submit" className="button" disabled={busy || !clientId.trim()}>
            {strings.connect.google}
          </button>
        </form>
      </details>
    </div>
  );
}
