/**
 * Settings > Retention (issue 16 item 1): the policy (every version, the last N, D days, or daily/
 * weekly/monthly), how long contacts deleted at the source are kept, the purge delay, what the
 * next backup will remove with the saved policy, and "Apply now" to remove that at once.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ApiError, RequestOf } from '../lib/api-types';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';

type Policy = RequestOf<'retention.set'>['policy'];
type Kind = Policy['kind'];

export function RetentionSettings() {
  const { retention, retentionError, loadRetention } = useStore(
    useShallow((s) => ({
      retention: s.retention,
      retentionError: s.retentionError,
      loadRetention: s.loadRetention,
    })),
  );
  useEffect(() => {
    void loadRetention();
  }, [loadRetention]);
  const s = strings.retention;
  return (
    <section className="panel" aria-labelledby="settings-retention" data-testid="settings-retention">
      <h2 id="settings-retention">{s.title}</h2>
      <p className="muted">{s.intro}</p>
      <ErrorMessage error={retentionError} onRetry={loadRetention} />
      {retention ? (
        <>
          <p data-testid="retention-description">
            {retention.description}{' '}
            <strong data-testid="retention-next-run">
              {s.nextRun(retention.nextRun.revisions, retention.nextRun.contacts)}
            </strong>
          </p>
          {/* Keyed by the saved policy: the form starts from what the core holds. */}
          <RetentionForm key={JSON.stringify(retention.settings)} loaded={retention.settings} />
        </>
      ) : null}
    </section>
  );
}

function RetentionForm({ loaded }: { readonly loaded: RequestOf<'retention.set'> }) {
  const { saveRetention, applyRetention } = useStore(
    useShallow((s) => ({ saveRetention: s.saveRetention, applyRetention: s.applyRetention })),
  );
  const policy = loaded.policy;
  const [kind, setKind] = useState<Kind>(policy.kind);
  const [revisions, setRevisions] = useState(policy.kind === 'last' ? policy.revisions : 10);
  const [days, setDays] = useState(policy.kind === 'days' ? policy.days : 90);
  const [gfs, setGfs] = useState(
    policy.kind === 'gfs'
      ? { daily: policy.daily, weekly: policy.weekly, monthly: policy.monthly }
      : { daily: 7, weekly: 4, monthly: 12 },
  );
  const [keepDeletedForever, setKeepDeletedForever] = useState(loaded.deletedKeepDays === undefined);
  const [deletedDays, setDeletedDays] = useState(loaded.deletedKeepDays ?? 365);
  const [purgeDelay, setPurgeDelay] = useState(loaded.purgeDelayDays ?? 0);
  const [error, setError] = useState<ApiError | undefined>();
  const [applying, setApplying] = useState(false);
  const [applyError, setApplyError] = useState<ApiError | undefined>();

  const apply = async () => {
    setApplying(true);
    const result = await applyRetention();
    setApplying(false);
    // Views refresh on the `history.changed` the core pushes when retention removed something.
    setApplyError(result.ok ? undefined : result.error);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const policy: Policy =
      kind === 'last'
        ? { kind, revisions }
        : kind === 'days'
          ? { kind, days }
          : kind === 'gfs'
            ? { kind, ...gfs }
            : { kind: 'all' };
    const result = await saveRetention({
      policy,
      ...(keepDeletedForever ? {} : { deletedKeepDays: deletedDays }),
      ...(purgeDelay > 0 ? { purgeDelayDays: purgeDelay } : {}),
    });
    setError(result.ok ? undefined : result.error);
  };

  const s = strings.retention;
  const whole = (value: string, min: number) => Math.max(min, Math.floor(Number(value) || 0));
  const numberField = (
    label: string,
    value: number,
    min: number,
    onChange: (n: number) => void,
    testId: string,
  ) => (
    <label className="field">
      <span>{label}</span>
      <input
        type="number"
        min={min}
        data-testid={testId}
        value={value}
        onChange={(e) => onChange(whole(e.target.value, min))}
      />
    </label>
  );
  return (
    <form className="form" onSubmit={save} aria-label={s.title}>
      <label className="field">
        <span>{s.policy}</span>
        <select data-testid="retention-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          <option value="all">{s.all}</option>
          <option value="last">{s.last}</option>
          <option value="days">{s.days}</option>
          <option value="gfs">{s.gfs}</option>
        </select>
      </label>
      {kind === 'last' ? numberField(s.revisions, revisions, 1, setRevisions, 'retention-revisions') : null}
      {kind === 'days' ? numberField(s.dayCount, days, 1, setDays, 'retention-days') : null}
      {kind === 'gfs' ? (
        <div className="row">
          {numberField(s.daily, gfs.daily, 0, (daily) => setGfs({ ...gfs, daily }), 'retention-daily')}
          {numberField(s.weekly, gfs.weekly, 0, (weekly) => setGfs({ ...gfs, weekly }), 'retention-weekly')}
          {numberField(
            s.monthly,
            gfs.monthly,
            0,
            (monthly) => setGfs({ ...gfs, monthly }),
            'retention-monthly',
          )}
        </div>
      ) : null}
      <label className="check">
        <input
          type="checkbox"
          data-testid="retention-deleted-forever"
          checked={keepDeletedForever}
          onChange={(e) => setKeepDeletedForever(e.target.checked)}
        />
        <span>{s.deletedForever}</span>
      </label>
      {keepDeletedForever
        ? null
        : numberField(s.deletedDays, deletedDays, 0, setDeletedDays, 'retention-deleted-days')}
      {numberField(s.purgeDelay, purgeDelay, 0, setPurgeDelay, 'retention-purge-delay')}
      <div className="row">
        <button type="submit" className="button button-primary" data-testid="retention-save">
          {s.save}
        </button>
        <button
          type="button"
          className="button"
          data-testid="retention-apply"
          aria-describedby="retention-apply-hint"
          disabled={applying}
          onClick={apply}
        >
          {applying ? s.applying : s.apply}
        </button>
      </div>
      <p id="retention-apply-hint" className="muted small">
        {s.applyHint}
      </p>
      <ErrorMessage error={error} testId="retention-error" />
      <ErrorMessage error={applyError} onRetry={apply} testId="retention-apply-error" />
    </form>
  );
}
