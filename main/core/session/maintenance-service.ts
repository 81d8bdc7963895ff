/**
 * Integrity check jobs, snapshot comparison and profile settings for the API and the CLI.
 */
import { ApiFailure } from '../contract/api-failure';
import type { DiffView, SettingsView } from '../contract/contract-types';
import { checkVault, type CheckResult } from '../history/integrity-check';
import { diffSnapshots } from '../history/snapshot-diff';
import type { JobContext } from '../jobs/job-registry';
import { JobFailure } from '../jobs/job-registry';
import type { JobRecord } from '../jobs/types';
import type { ProfileSession } from './profile-session';
import { count } from '../plural';

export function enqueueCheck(
  session: ProfileSession,
  repair: boolean,
  origin: JobRecord['origin'],
): JobRecord {
  return session.jobs.enqueue({
    kind: 'check',
    title: repair ? 'Check and repair the backup' : 'Check the backup',
    scope: {},
    origin,
    urgent: true,
    params: { repair },
    lockKey: 'check',
    dedupeKey: `check:${repair}`,
  }).job;
}

export async function checkJob(
  session: ProfileSession,
  context: JobContext,
  raw: unknown,
): Promise<CheckResult> {
  const { repair } = raw as { repair: boolean };
  if (repair && session.jobs.list().some((job) => job.id !== context.job.id && job.state === 'running')) {
    // A running backup's new files are not referenced yet: repairing now would remove them.
    throw new JobFailure('busy', 'Other jobs are running. Repair when they have finished.', true);
  }
  const result = await checkVault(session.vault, session.history, {
    repair,
    signal: context.signal,
    progress: (done, total) => context.progress('Checking files', done, total),
  });
  const checked = result.filesChecked + result.blobsChecked;
  context.progress('Done', checked, checked);
  const errors = result.problems.filter((problem) => problem.severity === 'error').length;
  context.setCount('files', result.filesChecked);
  context.setCount('photos', result.blobsChecked);
  context.setCount('errors', errors);
  context.setCount('warnings', result.problems.length - errors);
  for (const problem of result.problems.slice(0, 100))
    context.log(`${problem.severity}: ${problem.where}: ${problem.what}`);
  await session.audit.record(
    'check',
    `Integrity check${repair ? ' with repair' : ''}: ${count(errors, 'error')}, ${count(result.problems.length - errors, 'warning')}, ${result.repaired} repaired.`,
  );
  return result;
}

export function snapshotDiff(session: ProfileSession, userKey: string, from: string, to: string): DiffView {
  const snapshots = session.history.snapshots.filter((snapshot) => snapshot.userKey === userKey);
  const find = (id: string) => {
    const snapshot = snapshots.find((candidate) => candidate.id === id);
    if (!snapshot) throw new ApiFailure('not-found', `There is no backup ${id} of this user.`);
    return snapshot;
  };
  let [first, second] = [find(from), find(to)];
  if (first.seq > second.seq) [first, second] = [second, first];
  return diffSnapshots(session.history.index, userKey, first.finishedAt, second.finishedAt);
}

export function settingsView(session: ProfileSession): SettingsView {
  const data = session.settings.get();
  return {
    notifications: data.notifications,
    massDeletion: data.massDeletion,
    idleLockMinutes: data.idleLockMinutes ?? 15,
    startAtLogin: data.startAtLogin ?? false,
  };
}

export async function updateSettings(
  session: ProfileSession,
  changes: Partial<SettingsView>,
): Promise<SettingsView> {
  await session.settings.update((data) => {
    if (changes.notifications) data.notifications = { ...changes.notifications };
    if (changes.massDeletion) data.massDeletion = { ...changes.massDeletion };
    if (changes.idleLockMinutes !== undefined) data.idleLockMinutes = changes.idleLockMinutes;
    if (changes.startAtLogin !== undefined) data.startAtLogin = changes.startAtLogin;
  });
  if (changes.startAtLogin !== undefined) session.ports.setStartAtLogin?.(changes.startAtLogin);
  await session.audit.record('setting', `Settings changed: ${Object.keys(changes).join(', ')}.`);
  return settingsView(session);
}
