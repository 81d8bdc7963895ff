/**
 * The Task Manager (S3): every job with kind, state, live progress, counts, duration and log, with
 * Cancel for running or queued jobs and Resume/Retry for interrupted, failed or cancelled ones.
 * It is its own route (`#/tasks`) because Electron opens it in a separate window.
 */
import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ApiError, Job, JobKind, JobState } from '../lib/api-types';
import { formatDateTime, formatDuration } from '../lib/format';
import { filterJobs } from '../store/selectors';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';
import { describeJobOutcome, resultPath } from '../lib/job-sentences';
import { jobIdFromHash } from '../store/ui-slice';
import { BackupChanges } from './backup-changes';

const STATES = Object.keys(strings.tasks.states) as JobState[];
const KINDS = Object.keys(strings.tasks.kinds) as JobKind[];
const RESUMABLE: ReadonlySet<JobState> = new Set(['interrupted', 'failed', 'cancelled']);
const CANCELLABLE: ReadonlySet<JobState> = new Set(['running', 'queued']);

export function TaskManager() {
  const { jobs, tasksError, tasksLoaded, loadTasks } = useStore(
    useShallow((s) => ({
      jobs: s.jobs,
      tasksError: s.tasksError,
      tasksLoaded: s.tasksLoaded,
      loadTasks: s.loadTasks,
    })),
  );
  const [stateFilter, setStateFilter] = useState<JobState | ''>('');
  const [kindFilter, setKindFilter] = useState<JobKind | ''>('');
  useEffect(() => {
    void loadTasks();
  }, [loadTasks]);
  const shown = useMemo(
    () => filterJobs(jobs, { state: stateFilter || undefined, kind: kindFilter || undefined }),
    [jobs, stateFilter, kindFilter],
  );
  const running = jobs.some((job) => job.state === 'running');
  const now = useNow(running);

  return (
    <main className="page" id="main" tabIndex={-1} data-testid="task-manager">
      <h1>{strings.tasks.title}</h1>
      <div className="toolbar">
        <label className="field-inline">
          <span>{strings.tasks.filterState}</span>
          <select
            data-testid="task-filter-state"
            value={stateFilter}
            onChange={(e) => setStateFilter(e.target.value as JobState | '')}
          >
            <option value="">{strings.tasks.all}</option>
            {STATES.map((state) => (
              <option key={state} value={state}>
                {strings.tasks.states[state]}
              </option>
            ))}
          </select>
        </label>
        <label className="field-inline">
          <span>{strings.tasks.filterKind}</span>
          <select
            data-testid="task-filter-kind"
            value={kindFilter}
            onChange={(e) => setKindFilter(e.target.value as JobKind | '')}
          >
            <option value="">{strings.tasks.all}</option>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {strings.tasks.kinds[kind]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorMessage error={tasksError} onRetry={loadTasks} testId="tasks-error" />
      {!tasksLoaded && !tasksError ? <p aria-busy="true">{strings.loading}</p> : null}
      {tasksLoaded && jobs.length === 0 ? (
        <p className="empty-state" data-testid="tasks-empty">
          {strings.tasks.empty}
        </p>
      ) : null}
      {jobs.length > 0 && shown.length === 0 ? (
        <p className="empty-state">{strings.tasks.emptyFilter}</p>
      ) : null}
      {shown.length > 0 ? (
        <table className="table tasks" data-testid="task-table">
          <thead>
            <tr>
              <th scope="col">{strings.tasks.kind}</th>
              <th scope="col">{strings.tasks.task}</th>
              <th scope="col">{strings.tasks.state}</th>
              <th scope="col">{strings.tasks.progress}</th>
              <th scope="col">{strings.tasks.counts}</th>
              <th scope="col">{strings.tasks.duration}</th>
              <th scope="col">{strings.tasks.actions}</th>
            </tr>
          </thead>
          {shown.map((job) => (
            <TaskRow key={job.id} job={job} now={now} />
          ))}
        </table>
      ) : null}
    </main>
  );
}

/** Ticks once a second while a job runs, so running durations move. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** The path of an export (or any result) as text for the person reading the Task Manager. */
export function describeResult(result: unknown): string | undefined {
  return resultPath(result);
}

/** The job a toast linked to (`#/tasks?job=ID`), followed as the hash changes. */
function useHighlightedJob(): string | undefined {
  const [jobId, setJobId] = useState(() => jobIdFromHash(window.location.hash));
  useEffect(() => {
    const sync = () => setJobId(jobIdFromHash(window.location.hash));
    window.addEventListener('hashchange', sync);
    return () => window.removeEventListener('hashchange', sync);
  }, []);
  return jobId;
}

function TaskRow({ job, now }: { readonly job: Job; readonly now: number }) {
  const { cancelTask, resumeTask } = useStore(
    useShallow((s) => ({ cancelTask: s.cancelTask, resumeTask: s.resumeTask })),
  );
  const [showLog, setShowLog] = useState(() => jobIdFromHash(window.location.hash) === job.id);
  const [error, setError] = useState<ApiError | undefined>();
  const logId = `task-log-${job.id}`;
  const total = job.progress.total;
  const counts = Object.entries(job.counts).filter(([, value]) => value > 0);
  const outcome = describeJobOutcome(job);
  const highlighted = useHighlightedJob() === job.id;
  // A cancelled job's stored error is the cancellation itself, not a failure to show in red.
  const failure = job.state === 'cancelled' ? undefined : job.error;
  const backupSnapshot =
    job.kind === 'backup' && job.state === 'succeeded'
      ? (job.result as { snapshotId?: string } | undefined)?.snapshotId
      : undefined;

  const act = async (action: (id: string) => Promise<{ ok: boolean; error?: ApiError }>) => {
    const outcome = await action(job.id);
    setError(outcome.ok ? undefined : outcome.error);
  };

  return (
    <tbody
      className="task"
      data-testid="task-row"
      data-job-id={job.id}
      data-state={job.state}
      data-kind={job.kind}
      data-highlighted={highlighted || undefined}
      ref={(element) => {
        if (highlighted && element) element.scrollIntoView({ block: 'nearest' });
      }}
    >
      <tr>
        <td>{strings.tasks.kinds[job.kind]}</td>
        <th scope="row">
          {job.title}
          <div className="muted small">{formatDateTime(job.createdAt)}</div>
        </th>
        <td>
          <span
            className={`state state-${job.cancelling ? 'cancelling' : job.state}`}
            data-testid="task-state"
          >
            {job.cancelling ? strings.taskResults.cancelling : strings.tasks.states[job.state]}
          </span>
        </td>
        <td className="progress-cell">
          <progress
            data-testid="task-progress"
            aria-label={strings.tasks.progressLabel(job.title)}
            max={total && total > 0 ? total : undefined}
            value={
              total && total > 0
                ? Math.min(job.progress.done, total)
                : job.state === 'succeeded'
                  ? 1
                  : undefined
            }
          />
          <div className="small" data-testid="task-phase">
            {job.progress.phase}{' '}
            {total !== undefined && total > 0
              ? strings.taskResults.progress(Math.min(job.progress.done, total), total)
              : job.progress.done
                ? job.progress.done.toLocaleString()
                : ''}
          </div>
        </td>
        <td className="small" data-testid="task-counts">
          {counts.map(([key, value]) => `${key} ${value}`).join(', ')}
        </td>
        <td className="small">{formatDuration(job.startedAt, job.finishedAt, now)}</td>
        <td>
          <div className="row">
            {CANCELLABLE.has(job.state) ? (
              <button
                type="button"
                className="button"
                disabled={job.cancelling}
                data-testid="task-cancel"
                aria-label={`${strings.tasks.cancelTask}: ${job.title}`}
                onClick={() => void act(cancelTask)}
              >
                {strings.tasks.cancelTask}
              </button>
            ) : null}
            {RESUMABLE.has(job.state) ? (
              <button
                type="button"
                className="button"
                data-testid="task-resume"
                aria-label={`${job.state === 'interrupted' ? strings.tasks.resume : strings.tasks.retry}: ${job.title}`}
                onClick={() => void act(resumeTask)}
              >
                {job.state === 'interrupted' ? strings.tasks.resume : strings.tasks.retry}
              </button>
            ) : null}
            <button
              type="button"
              className="button button-quiet"
              data-testid="task-log-toggle"
              aria-expanded={showLog}
              aria-controls={logId}
              onClick={() => setShowLog((v) => !v)}
            >
              {showLog ? strings.tasks.hideLog : strings.tasks.showLog}
            </button>
          </div>
        </td>
      </tr>
      {failure || outcome || error ? (
        <tr>
          <td colSpan={7}>
            {failure ? (
              <p className="error-message" data-testid="task-error">
                {failure.message}
              </p>
            ) : null}
            {outcome ? <p data-testid="task-result">{outcome}</p> : null}
            {backupSnapshot && job.scope.accountId && job.scope.userId ? (
              <BackupChanges
                userKey={`${job.scope.accountId}/${job.scope.userId}`}
                snapshotId={backupSnapshot}
                pruned={(job.counts.pruned ?? 0) > 0}
              />
            ) : null}
            <ErrorMessage error={error} />
          </td>
        </tr>
      ) : null}
      {showLog ? (
        <tr>
          <td colSpan={7}>
            <ol className="log" id={logId} data-testid="task-log">
              {job.log.length === 0 ? <li>{strings.tasks.noLog}</li> : null}
              {job.log.map((line, index) => (
                <li key={index}>
                  <time dateTime={line.at}>{formatDateTime(line.at)}</time> {line.text}
                </li>
              ))}
            </ol>
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}
