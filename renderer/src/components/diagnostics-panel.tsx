/**
 * "Copy diagnostic report" in Settings (the Help menu has the same in the desktop app): the core's
 * redacted report (versions and recent log lines, no contacts, no secrets) goes to the clipboard.
 * Where the clipboard refuses (a browser without permission), the report is shown to copy by hand.
 */
import { useRef, useState } from 'react';
import { call } from '../lib/api-client';
import type { ApiError } from '../lib/api-types';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';

type Outcome = { kind: 'copied' } | { kind: 'shown'; report: string } | { kind: 'failed'; error: ApiError };

export function DiagnosticsPanel() {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const box = useRef<HTMLTextAreaElement>(null);

  const copy = async () => {
    setBusy(true);
    const result = await call('diagnostics.report', {});
    if (!result.ok) {
      setOutcome({ kind: 'failed', error: result.error });
    } else {
      try {
        await navigator.clipboard.writeText(result.value.report);
        setOutcome({ kind: 'copied' });
      } catch {
        setOutcome({ kind: 'shown', report: result.value.report });
        requestAnimationFrame(() => box.current?.select());
      }
    }
    setBusy(false);
  };

  const s = strings.diagnostics;
  return (
    <section className="panel" aria-labelledby="settings-diagnostics" data-testid="diagnostics-panel">
      <h2 id="settings-diagnostics">{s.title}</h2>
      <p>{s.intro}</p>
      <button type="button" className="button" data-testid="copy-diagnostics" disabled={busy} onClick={copy}>
        {s.copy}
      </button>
      <p role="status" data-testid="diagnostics-status">
        {outcome?.kind === 'copied' ? s.copied : outcome?.kind === 'shown' ? s.copyByHand : ''}
      </p>
      {outcome?.kind === 'shown' && (
        <textarea
          ref={box}
          className="diagnostic-report"
          readOnly
          aria-label={s.reportLabel}
          data-testid="diagnostics-report"
          value={outcome.report}
        />
      )}
      {outcome?.kind === 'failed' && <ErrorMessage error={outcome.error} />}
    </section>
  );
}
