/**
 * Which pushes a finished job causes (issue 16 item 2): every job that changed the backup, or the
 * source a view shows, tells every window, so the Dashboard, the lists, the folder counts, the
 * point-in-time list and the info pane refresh themselves without a reload.
 */
import type { Events } from '../contract/contract-types';
import type { JobRecord } from '../jobs/types';
import { userKeyOf } from '../history/types';

type HistoryEvent =
  | readonly ['backup.finished', Events['backup.finished']]
  | readonly ['history.changed', Events['history.changed']];

/** The user a job's scope names, as the API's `accountId/userId` key. */
function userKeyOfJob(job: JobRecord): string | undefined {
  const { accountId, userId } = job.scope;
  return accountId && userId ? userKeyOf(accountId, userId) : undefined;
}

/**
 * The events for one finished job. A backup pushes `backup.finished` (even when it failed: the
 * Dashboard shows its state) and, when it succeeded, `history.changed`; a succeeded restore, delete
 * or repairing check pushes `history.changed`. Exports and plain checks change nothing.
 */
export function historyEventsOf(job: JobRecord): HistoryEvent[] {
  const userKey = userKeyOfJob(job);
  const events: HistoryEvent[] = [];
  if (job.kind === 'backup' && userKey) events.push(['backup.finished', { userKey, jobId: job.id }]);
  if (job.state !== 'succeeded') return events;
  const repaired = job.kind === 'check' && (job.params as { repair?: boolean } | undefined)?.repair === true;
  if (job.kind === 'backup' || job.kind === 'restore' || job.kind === 'delete' || repaired) {
    events.push(['history.changed', { kind: job.kind, jobId: job.id, ...(userKey ? { userKey } : {}) }]);
  }
  return events;
}
