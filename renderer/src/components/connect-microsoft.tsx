/**
 * "Connect Microsoft 365 / Outlook.com" (issue 14, items 1 and 2): one click with the app's own
 * public-client id, or the user's own app registration with the steps to create one.
 */
import { useState, type FormEvent } from 'react';
import type { ConnectOutcomeHandler } from './connect-accounts';
import { useStore } from '../store/store';
import { strings } from '../strings';

export function ConnectMicrosoft({ onDone }: { readonly onDone: ConnectOutcomeHandler }) {
  const configured = useStore((s) => s.signInOptions?.microsoft ?? false);
  const busy = useStore((s) => s.signIn !== undefined);
  const connect = useStore((s) => s.connect);
  const [clientId, setClientId] = useState('');

  const start = async (event?: FormEvent, own = false) => {
    event?.preventDefault();
    onDone(await connect({ provider: 'microsoft', ...(own ? { clientId: clientId.trim() } : {}) }));
  };

  return (
    <div className="connect-provider" data-testid="connect-microsoft-panel">
      {configured ? (
        <button
          type="button"
          className="button button-primary"
          data-testid="connect-microsoft"
          disabled={busy}
          onClick={() => void start()}
        >
          {strings.connect.microsoft}
        </button>
      ) : (
        <p className="notice" data-testid="connect-microsoft-missing">
          {strings.connect.missingMicrosoft}
        </p>
      )}
      <details open={!configured} className="own-client">
        <summary>{strings.connect.ownId}</summary>
        <ol className="steps">
          {strings.connect.microsoftSteps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
        <form className="form" onSubmit={(e) => void start(e, true)}>
          <label className="field">
            <span>{strings.connect.clientId}</span>
            <input
              value={clientId}
              required
              data-testid="microsoft-own-client-id"
              onChange={(e) => setClientId(e.target.value)}
            />
          </label>
          <button type="submit" className="button" disabled={busy || !clientId.trim()}>
            {strings.connect.microsoft}
          </button>
        </form>
      </details>
    </div>
  );
}
