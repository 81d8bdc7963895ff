/**
 * Shows a new recovery key once, over everything else, until the person says it is saved: copy,
 * print (the browser's print dialog, which also saves to PDF) or write it down.
 */
import { useState } from 'react';
import { useStore } from '../store/store';
import { strings } from '../strings';

export function RecoveryKeyScreen({ recoveryKey }: { readonly recoveryKey: string }) {
  const dismiss = useStore((s) => s.dismissRecoveryKey);
  const [copied, setCopied] = useState(false);
  return (
    <main className="unlock" id="main" tabIndex={-1}>
      <div className="unlock-card recovery-key-card" role="region" aria-labelledby="recovery-shown-title">
        <h1 id="recovery-shown-title">{strings.recovery.shownTitle}</h1>
        <p>{strings.recovery.shownIntro}</p>
        <p className="recovery-key" data-testid="recovery-key">
          {recoveryKey}
        </p>
        <div className="recovery-key-actions">
          <button
            type="button"
            className="button"
            data-testid="recovery-key-copy"
            onClick={async () => {
              await navigator.clipboard?.writeText(recoveryKey).catch(() => undefined);
              setCopied(true);
            }}
          >
            {copied ? strings.recovery.copied : strings.recovery.copy}
          </button>
          <button
            type="button"
            className="button"
            data-testid="recovery-key-print"
            onClick={() => window.print()}
          >
            {strings.recovery.print}
          </button>
          <button
            type="button"
            className="button button-primary"
            data-testid="recovery-key-saved"
            onClick={dismiss}
          >
            {strings.recovery.saved}
          </button>
        </div>
      </div>
    </main>
  );
}
