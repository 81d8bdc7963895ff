/**
 * Settings > Check the backup: starts an integrity check (optionally with repair) as a job; its
 * outcome is read in the Task Manager, where the toast links.
 */
import { useState } from 'react';
import type { ApiError } from '../lib/api-types';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';

export function CheckSettings() {
  const startJob = useStore((s) => s.startJob);
  const [error, setError] = useState<ApiError | undefined>();
  const start = async (repair: boolean) => {
    const result = await startJob('check.start', repair ? { repair } : {});
    setError(result.ok ? undefined : result.error);
  };
  const s = strings.check;
  return (
    <section className="panel" aria-labelledby="settings-check" data-testid="settings-check">
      <h2 id="settings-check">{s.title}</h2>
      <p className="muted">{s.intro}</p>
      <div className="row">
        <button type="button" className="button" data-testid="check-start" onClick={() => void start(false)}>
          {s.check}
        </button>
        <button type="button" className="button" data-testid="check-repair" onClick={() => void start(true)}>
          {s.repair}
        </button>
      </div>
      <ErrorMessage error={error} testId="check-error" />
    </section>
  );
}
