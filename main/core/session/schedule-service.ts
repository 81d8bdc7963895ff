/**
 * Automatic backups for an unlocked profile (S6): one schedule per account user (three times a day
 * by default), kept sealed in the vault; the scheduler only enqueues backup jobs, skips busy users
 * and catches up once after a sleep or while the app was closed. Scheduled jobs queue behind urgent
 * ones (the registry runs urgent first).
 */
import { ApiFailure } from '../contract/api-failure';
import type { NextBackupView, ScheduleView } from '../contract/contract-types';
import { userKeyOf } from '../history/types';
import { Scheduler, type TimerPort } from '../schedule/scheduler';
import {
  compileSchedule,
  defaultSchedule,
  nextFireTimes,
  validateSchedule,
  type BackupSchedule,
} from '../schedule/schedule';
import { backupBlockedReason, enqueueBackup } from './backup-service';
import { findUser } from './account-service';
import type { ProfileSession } from './profile-session';

export interface SchedulesFile {
  version: 1;
  schedules: Record<string, BackupSchedule>;
  /** Per user: scheduled backups turned off, catch-up turned off (both default on). */
  options?: Record<string, { enabled?: boolean; catchUp?: boolean }>;
}

function schedulesFile(session: ProfileSession) {
  return session.vault.database<SchedulesFile>('schedules', { version: 1, schedules: {} });
}

/** The users whose backups run on a schedule: backup turned on for the account, user enabled. */
export function scheduledUsers(session: ProfileSession): string[] {
  return session.accounts
    .all()
    .filter((account) => account.backupEnabled)
    .flatMap((account) => account.users.map((user) => userKeyOf(account.id, user.id)))
    .filter((userKey) => !backupBlockedReason(session, userKey));
}

/** Starts the scheduler for a session; returns what the session calls to refresh and stop it. */
export async function startScheduler(
  session: ProfileSession,
  timers?: TimerPort,
): Promise<{ scheduler: Scheduler; refresh(): Promise<void>; stop(): void }> {
  const scheduler = new Scheduler({
    clock: session.ports.clock,
    timers,
    enqueue: (userKey, reason) => {
      try {
        enqueueBackup(session, { userKey }, reason, false);
      } catch (error) {
        // A refused backup (licence expired, user disabled) is not an error of the scheduler.
        void session.audit.record('backup', `Scheduled backup not started: ${(error as Error).message}`);
      }
    },
    lastRunAt: (userKey) => {
      const last = [...session.history.snapshots].reverse().find((snapshot) => snapshot.userKey === userKey);
      return last ? new Date(last.startedAt) : undefined;
    },
    isBusy: (userKey) => session.jobs.isBusy(userKey),
  });
  const refresh = async () => {
    const data = (await schedulesFile(session)).data;
    const stored = data.schedules;
    const options = data.options ?? {};
    const wanted = new Set(scheduledUsers(session).filter((userKey) => options[userKey]?.enabled !== false));
    for (const userKey of wanted)
      scheduler.setSchedule(userKey, stored[userKey] ?? defaultSchedule(), {
        catchUp: options[userKey]?.catchUp !== false,
      });
    for (const userKey of [...Object.keys(stored), ...Object.keys(options)])
      if (!wanted.has(userKey)) scheduler.remove(userKey);
  };
  await refresh();
  scheduler.start();
  return { scheduler, refresh, stop: () => scheduler.stop() };
}

export async function scheduleView(session: ProfileSession, userKey: string): Promise<ScheduleView> {
  findUser(session, userKey);
  const data = (await schedulesFile(session)).data;
  const schedule = data.schedules[userKey] ?? defaultSchedule();
  const enabled = data.options?.[userKey]?.enabled !== false;
  const catchUp = data.options?.[userKey]?.catchUp !== false;
  const compiled = compileSchedule(schedule, userKey);
  const nextRuns =
    compiled.ok && enabled && scheduledUsers(session).includes(userKey)
      ? nextFireTimes(compiled.compiled, session.ports.clock.now(), 5).map((date) => date.toISOString())
      : [];
  return { userKey, schedule: schedule as ScheduleView['schedule'], nextRuns, enabled, catchUp };
}

/**
 * The next automatic backup of any user ("Next backup at ..." on the Dashboard, the tray and
 * `schedule show`); empty when none is scheduled (backup off, users disabled, schedules off).
 */
export async function nextBackup(session: ProfileSession): Promise<NextBackupView> {
  let best: { at: Date; userKey: string } | undefined;
  for (const userKey of scheduledUsers(session)) {
    const [at] = (await scheduleView(session, userKey)).nextRuns;
    if (at && (!best || Date.parse(at) < best.at.getTime())) best = { at: new Date(at), userKey };
  }
  if (!best) return {};
  const { user } = findUser(session, best.userKey);
  return {
    at: best.at.toISOString(),
    userKey: best.userKey,
    userLabel: user.email || user.displayName || user.id,
  };
}

export async function setSchedule(
  session: ProfileSession,
  userKey: string,
  schedule: BackupSchedule,
  options: { enabled?: boolean; catchUp?: boolean } = {},
): Promise<ScheduleView> {
  const { user } = findUser(session, userKey);
  const validation = validateSchedule(schedule);
  if (!validation.ok) throw new ApiFailure('invalid-schedule', validation.message);
  const file = await schedulesFile(session);
  file.data.schedules[userKey] = schedule;
  if (options.enabled !== undefined || options.catchUp !== undefined) {
    const current = file.data.options?.[userKey] ?? {};
    file.data.options = {
      ...file.data.options,
      [userKey]: {
        enabled: options.enabled ?? current.enabled,
        catchUp: options.catchUp ?? current.catchUp,
      },
    };
  }
  await file.write();
  await session.refreshSchedules();
  await session.audit.record('setting', `Backup schedule of ${user.email || user.id} changed.`);
  return scheduleView(session, userKey);
}
