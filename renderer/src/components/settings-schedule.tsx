/**
 * Settings > Backup schedule (issue 16 item 1): per user, a number of backups a day or set times,
 * the weekdays, on/off and catch-up, with the next runs the core computes from the saved schedule.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { call } from '../lib/api-client';
import type { ApiError, ResponseOf } from '../lib/api-types';
import { formatDateTime } from '../lib/format';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';

type ScheduleView = ResponseOf<'schedule.get'>;
const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];

/**
 * `count` times a day spread evenly over the waking day (08:00 to 20:00): 1 -> 12:00, 3 -> 08:00,
 * 14:00, 20:00. From 7 on, spread over the whole day.
 */
export function timesForPerDay(count: number): string[] {
  const [start, span] = count === 1 ? [12 * 60, 0] : count <= 6 ? [8 * 60, 12 * 60] : [0, 24 * 60];
  const step = count === 1 ? 0 : count <= 6 ? span / (count - 1) : span / count;
  return Array.from({ length: count }, (_, index) => {
    const minute = Math.round((start + index * step) / 5) * 5;
    return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
  });
}

/** Parses "8:00, 14:30" into ["08:00", "14:30"]; undefined when a part is not a time. */
export function parseTimes(text: string): string[] | undefined {
  const parts = text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  if (!parts.length) return undefined;
  const times: string[] = [];
  for (const part of parts) {
    const match = /^(\d{1,2}):(\d{2})$/.exec(part);
    if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) return undefined;
    times.push(`${match[1].padStart(2, '0')}:${match[2]}`);
  }
  return times;
}

export function ScheduleSettings() {
  const { accounts, loadAccounts, loadNextBackup } = useStore(
    useShallow((s) => ({
      accounts: s.accounts,
      loadAccounts: s.loadAccounts,
      loadNextBackup: s.loadNextBackup,
    })),
  );
  const users = useMemo(
    () =>
      (accounts ?? [])
        .filter((account) => account.backupEnabled)
        .flatMap((account) =>
          account.users
            .filter((user) => user.enabled)
            .map((user) => ({
              key: user.userKey,
              label: `${user.email || user.displayName || user.id} (${account.label})`,
            })),
        ),
    [accounts],
  );
  const [userKey, setUserKey] = useState('');
  const chosen = users.some((user) => user.key === userKey) ? userKey : (users[0]?.key ?? '');
  useEffect(() => {
    if (!accounts) void loadAccounts();
  }, [accounts, loadAccounts]);

  const s = strings.schedule;
  return (
    <section className="panel" aria-labelledby="settings-schedule" data-testid="settings-schedule">
      <h2 id="settings-schedule">{s.title}</h2>
      <p className="muted">{s.intro}</p>
      {users.length === 0 ? <p className="empty-state">{s.noUsers}</p> : null}
      {users.length > 1 ? (
        <label className="field-inline">
          <span>{s.user}</span>
          <select data-testid="schedule-user" value={chosen} onChange={(e) => setUserKey(e.target.value)}>
            {users.map((user) => (
              <option key={user.key} value={user.key}>
                {user.label}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {chosen ? <ScheduleForm key={chosen} userKey={chosen} onSaved={loadNextBackup} /> : null}
    </section>
  );
}

function ScheduleForm({
  userKey,
  onSaved,
}: {
  readonly userKey: string;
  readonly onSaved: () => Promise<void>;
}) {
  const [view, setView] = useState<ScheduleView | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [mode, setMode] = useState<'perDay' | 'times'>('perDay');
  const [perDay, setPerDay] = useState(3);
  const [timesText, setTimesText] = useState('');
  const [days, setDays] = useState<number[]>(ALL_DAYS);
  const [spread, setSpread] = useState(true);
  const [enabled, setEnabled] = useState(true);
  const [catchUp, setCatchUp] = useState(true);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void call('schedule.get', { userKey }).then((result) => {
      if (!live) return;
      if (!result.ok) return setError(result.error);
      const value = result.value;
      setView(value);
      setEnabled(value.enabled !== false);
      setCatchUp(value.catchUp !== false);
      if (value.schedule.kind === 'times') {
        const times = [...value.schedule.times];
        const even = times.join(',') === timesForPerDay(times.length).join(',');
        setMode(even ? 'perDay' : 'times');
        setPerDay(times.length);
        setTimesText(times.join(', '));
        setDays([...value.schedule.days]);
        setSpread(value.schedule.spread);
      }
    });
    return () => {
      live = false;
    };
  }, [userKey]);

  const s = strings.schedule;
  const cron = view?.schedule.kind === 'cron' ? view.schedule.expression : undefined;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const times = mode === 'perDay' ? timesForPerDay(perDay) : parseTimes(timesText);
    if (!times) {
      setError({ code: 'invalid-request', message: s.badTimes, retryable: false });
      return;
    }
    setBusy(true);
    const schedule =
      cron !== undefined && view
        ? view.schedule
        : { kind: 'times' as const, times, days: [...days].sort((a, b) => a - b), spread };
    const result = await call('schedule.set', { userKey, schedule, enabled, catchUp });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setError(undefined);
    setView(result.value);
    setSaved(true);
    if (result.value.schedule.kind === 'times') setTimesText(result.value.schedule.times.join(', '));
    await onSaved();
  };

  return (
    <form className="form" onSubmit={save} aria-label={s.title} data-testid="schedule-form">
      <label className="check">
        <input
          type="checkbox"
          data-testid="schedule-enabled"
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
        />
        <span>{s.enabled}</span>
      </label>
      {cron !== undefined ? (
        <p>{s.cron(cron)}</p>
      ) : (
        <>
          <fieldset className="field">
            <legend>{s.mode}</legend>
            <label className="check">
              <input
                type="radio"
                name={`mode-${userKey}`}
                data-testid="schedule-mode-per-day"
                checked={mode === 'perDay'}
                onChange={() => setMode('perDay')}
              />
              <span>{s.perDay}</span>
            </label>
            <label className="check">
              <input
                type="radio"
                name={`mode-${userKey}`}
                data-testid="schedule-mode-times"
                checked={mode === 'times'}
                onChange={() => setMode('times')}
              />
              <span>{s.setTimes}</span>
            </label>
          </fieldset>
          {mode === 'perDay' ? (
            <label className="field">
              <span>{s.timesPerDay}</span>
              <input
                type="number"
                min={1}
                max={24}
                data-testid="schedule-per-day"
                value={perDay}
                onChange={(e) => setPerDay(Math.max(1, Math.min(24, Number(e.target.value) || 1)))}
              />
              <span className="muted small">{timesForPerDay(perDay).join(', ')}</span>
            </label>
          ) : (
            <label className="field">
              <span>{s.times}</span>
              <input
                data-testid="schedule-times"
                value={timesText}
                placeholder="08:00, 14:00, 20:00"
                onChange={(e) => setTimesText(e.target.value)}
              />
            </label>
          )}
          <fieldset className="field">
            <legend>{s.days}</legend>
            <div className="row">
              {s.dayNames.map((name, day) => (
                <label className="check" key={name}>
                  <input
                    type="checkbox"
                    data-testid={`schedule-day-${day}`}
                    checked={days.includes(day)}
                    onChange={(e) =>
                      setDays((current) =>
                        e.target.checked ? [...current, day] : current.filter((value) => value !== day),
                      )
                    }
                  />
                  <span>{name}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <label className="check">
            <input
              type="checkbox"
              data-testid="schedule-spread"
              checked={spread}
              onChange={(e) => setSpread(e.target.checked)}
            />
            <span>{s.spread}</span>
          </label>
        </>
      )}
      <label className="check">
        <input
          type="checkbox"
          data-testid="schedule-catch-up"
          checked={catchUp}
          onChange={(e) => setCatchUp(e.target.checked)}
        />
        <span>{s.catchUp}</span>
      </label>
      <div className="row">
        <button type="submit" className="button button-primary" data-testid="schedule-save" disabled={busy}>
          {s.save}
        </button>
      </div>
      <ErrorMessage error={error} testId="schedule-error" />
      {saved ? (
        <p role="status" className="outcome">
          {s.saved}
        </p>
      ) : null}
      <div data-testid="schedule-next-runs">
        <h3>{s.nextRuns}</h3>
        {view && view.nextRuns.length > 0 ? (
          <ul>
            {view.nextRuns.map((run) => (
              <li key={run}>
                <time dateTime={run}>{formatDateTime(run)}</time>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{s.notScheduled}</p>
        )}
      </div>
    </form>
  );
}
