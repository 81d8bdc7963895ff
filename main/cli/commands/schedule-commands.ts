/**
 * `schedule show|set` and `tasks --watch`. Watching reads the job list the running app or web host
 * writes to the vault (sealed, refreshed at least every second), without taking the profile's write
 * lock, so it works beside the desktop app.
 */
import type { Command } from 'commander';
import {
  openApp,
  printJson,
  printTable,
  unlockProfile,
  withSession,
  type GlobalOptions,
} from '../cli-context';
import type { BackupSchedule, Weekday } from '../../core/schedule/schedule';
import { resolveUserKey } from '../resolve-user';
import { CliError } from '../cli-error';
import { Vault } from '../../core/vault/vault';
import { profileOwnerAlive } from '../../core/vault/profile-lock';
import type { JobsFile } from '../../core/jobs/job-registry';
import { FINISHED_STATES, type JobRecord } from '../../core/jobs/types';
import { readPassword } from '../password';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export function registerScheduleCommands(program: Command, globals: () => GlobalOptions): void {
  const schedule = program
    .command('schedule')
    .description('when automatic backups run (default: three times a day)');
  schedule
    .command('show')
    .option('--account <id[/user]>', 'which user')
    .option('--json', 'machine-readable output')
    .action((options: { account?: string; json?: boolean }) =>
      withSession(globals(), async (api) => {
        const userKey = resolveUserKey(await api.call('accounts.list', {}), options.account);
        const view = await api.call('schedule.get', { userKey });
        if (options.json) return printJson(view);
        const what =
          view.schedule.kind === 'cron'
            ? `cron "${view.schedule.expression}"`
            : `at ${view.schedule.times.join(', ')} on ${view.schedule.days.map((day) => DAYS[day]).join(', ')}${view.schedule.spread ? ' (plus a few minutes per user)' : ''}`;
        process.stdout.write(`Backups of ${view.userKey} run ${what}.\n`);
        const [next, ...later] = view.nextRuns;
        process.stdout.write(
          next
            ? `Next backup at ${new Date(next).toLocaleString()}${later.length ? `; then ${later.map((run) => new Date(run).toLocaleString()).join(', ')}` : ''}.\n`
            : view.enabled === false
              ? 'Not scheduled: automatic backups are turned off for this user (Settings).\n'
              : 'Not scheduled: Contacts backup is off for this account (Configure Backup).\n',
        );
      }),
    );
  schedule
    .command('next')
    .description('the next automatic backup of any user (the Dashboard’s line)')
    .option('--json', 'machine-readable output')
    .action((options: { json?: boolean }) =>
      withSession(globals(), async (api) => {
        const next = await api.call('schedule.next', {});
        if (options.json) return printJson(next);
        process.stdout.write(
          next.at
            ? `Next backup at ${new Date(next.at).toLocaleString()} (${next.userLabel ?? next.userKey}).\n`
            : 'No backup is scheduled.\n',
        );
      }),
    );
  schedule
    .command('set')
    .option('--account <id[/user]>', 'which user')
    .option('--times <HH:MM,...>', 'times of day, e.g. 08:00,14:00,20:00')
    .option('--days <days>', 'days of the week, e.g. mon,tue,wed,thu,fri (default: every day)')
    .option('--cron <expression>', 'a 5-field cron expression instead of times')
    .option('--exact', 'do not add the small per-user offset to the times')
    .action((options: { account?: string; times?: string; days?: string; cron?: string; exact?: boolean }) =>
      withSession(globals(), async (api) => {
        if (Boolean(options.times) === Boolean(options.cron))
          throw new CliError('Give either --times or --cron.');
        let value: BackupSchedule;
        if (options.cron) value = { kind: 'cron', expression: options.cron };
        else {
          const days = (options.days ?? DAYS.join(','))
            .split(',')
            .map((day) => DAYS.indexOf(day.trim().slice(0, 3).toLowerCase()));
          if (days.some((day) => day < 0)) throw new CliError('--days takes names like mon,tue,wed.');
          value = {
            kind: 'times',
            times: options.times!.split(',').map((time) => time.trim()),
            days: days as Weekday[],
            spread: !options.exact,
          };
        }
        // The Settings screen's setter: the schedule is validated and saved the same way.
        const view = await api.call('schedule.set', {
          userKey: resolveUserKey(await api.call('accounts.list', {}), options.account),
          schedule: value,
        });
        process.stdout.write(
          `Saved. Next: ${view.nextRuns.join(', ') || 'not scheduled (Contacts backup is off)'}\n`,
        );
      }),
    );
}

function printJobs(jobs: readonly JobRecord[]): void {
  printTable(
    ['ID', 'KIND', 'STATE', 'PROGRESS', 'TITLE'],
    jobs.map((job) => [
      job.id,
      job.kind,
      job.state,
      job.progress.total ? `${job.progress.done}/${job.progress.total}` : String(job.progress.done),
      job.title,
    ]),
  );
}

/** `tasks --watch`: prints the job list whenever it changes, until nothing is queued or running. */
export async function watchTasks(globals: GlobalOptions, json: boolean): Promise<void> {
  const app = openApp(globals);
  const profiles = await app.profiles.list();
  const wanted = globals.profile ?? process.env.CONTACTS_BACKUP_PROFILE;
  const profile = wanted ? await app.profiles.find(wanted) : profiles.length === 1 ? profiles[0] : undefined;
  if (!profile) {
    // Same messages as the commands that unlock.
    await unlockProfile(app, globals);
    return;
  }
  const vault = await Vault.unlock(app.profiles.folderOf(profile.id), await readPassword(globals));
  let last = '';
  try {
    for (;;) {
      const jobs = (await vault.database<JobsFile>('tasks', { version: 1, jobs: [] })).data.jobs
        .slice()
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      // Queued or running, but no process holds the profile: the one that ran them died.
      if (!(await profileOwnerAlive(vault.folder))) {
        for (const job of jobs) {
          if (!FINISHED_STATES.has(job.state)) {
            job.state = 'interrupted';
            job.progress = { ...job.progress, phase: 'Interrupted: the process running it stopped' };
          }
        }
      }
      const text = JSON.stringify(jobs.map((job) => [job.id, job.state, job.progress]));
      if (text !== last) {
        last = text;
        if (json) process.stdout.write(`${JSON.stringify(jobs)}\n`);
        else {
          process.stdout.write(`--- ${new Date().toLocaleTimeString()}\n`);
          printJobs(jobs.slice(0, 20));
        }
      }
      if (jobs.every((job) => FINISHED_STATES.has(job.state))) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    vault.lock();
  }
}
