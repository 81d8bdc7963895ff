/** `backup` (urgent Run Backup for every enabled user, or one account/user/contacts) and `tasks`. */
import type { Command } from 'commander';
import { printJson, printTable, withSession, type GlobalOptions } from '../cli-context';
import { ownerOf } from '../resolve-user';
import { userKeyOf } from '../../core/history/types';
import { waitForJobs, type JobView } from '../run-job';
import { CliError } from '../cli-error';
import { registerTaskCommands } from './maintenance-commands';
import { watchTasks } from './schedule-commands';
import { count } from '../../core/plural';

export function registerBackupCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('backup')
    .description('back up now: every enabled user, or the ones chosen')
    .option('--account <id>', 'only this account')
    .option('--user <id>', 'only this user of the account')
    .option('--contact <id...>', 'only these contacts (ids from `contacts list`)')
    .option('--json', 'print the finished jobs as JSON')
    .action((options: { account?: string; user?: string; contact?: string[]; json?: boolean }) =>
      withSession(globals(), async (api) => {
        const userKeys: string[] = [];
        // Users that should have been backed up but could not be (sign-in needed, licence): the
        // command then fails, so a script or scheduler notices (issue 14, item 4).
        const skipped: string[] = [];
        for (const account of await api.call('accounts.list', {})) {
          if (options.account && account.id !== options.account) continue;
          for (const user of account.users) {
            if (options.user && user.id !== options.user && user.email !== options.user) continue;
            const userKey = userKeyOf(account.id, user.id);
            const blocked = user.blockedReason;
            if (blocked) {
              process.stderr.write(`Skipped ${user.email}: ${blocked}\n`);
              if (user.enabled && user.active)
                skipped.push(`${user.email || user.id} (account ${account.id})`);
              continue;
            }
            userKeys.push(userKey);
          }
        }
        if (options.contact?.length) {
          const owners = new Set<string | undefined>();
          for (const contactId of options.contact) owners.add(await ownerOf(api, contactId));
          if (owners.has(undefined) || owners.size !== 1) {
            throw new CliError(
              '--contact takes ids of backed-up contacts of one user (see `contacts list`).',
            );
          }
          userKeys.splice(0, userKeys.length, [...owners][0]!);
        }
        const skippedError = () =>
          new CliError(
            `Skipped ${count(skipped.length, 'user')}: ${skipped.join(', ')}. Sign in again with \`account reconnect ID\`.`,
          );
        if (!userKeys.length && skipped.length) throw skippedError();
        if (!userKeys.length)
          throw new CliError('Nothing to back up: add an account first (`account add sample`).');
        const jobs: JobView[] = [];
        for (const userKey of userKeys)
          jobs.push(await api.call('backup.run', { userKey, contactIds: options.contact }));
        const finished = await waitForJobs(api, jobs);
        if (options.json) printJson(finished);
        else {
          for (const job of finished) {
            const counts = job.counts;
            process.stdout.write(
              job.state === 'succeeded'
                ? `${job.title}: ${counts.added ?? 0} added, ${counts.changed ?? 0} changed, ${counts.deleted ?? 0} deleted at source, ${counts.unchanged ?? 0} unchanged.\n`
                : `${job.title}: ${job.state}: ${job.error?.message ?? ''}\n`,
            );
          }
        }
        const failed = finished.filter((job) => job.state !== 'succeeded');
        if (failed.length) throw new CliError(`${count(failed.length, 'backup job')} did not succeed.`);
        if (skipped.length) throw skippedError();
      }),
    );

  const tasks = program
    .command('tasks')
    .description('the jobs of this profile (the Task Manager)')
    .option('--json', 'machine-readable output')
    .option('--watch', 'follow the jobs live (also those of the running app) until none is active')
    .action((options: { json?: boolean; watch?: boolean }) =>
      options.watch
        ? watchTasks(globals(), Boolean(options.json))
        : withSession(globals(), async (api) => {
            const jobs = await api.call('tasks.list', {});
            if (options.json) return printJson(jobs);
            printTable(
              ['ID', 'KIND', 'STATE', 'PROGRESS', 'CREATED', 'TITLE'],
              jobs.map((job) => [
                job.id,
                job.kind,
                job.state,
                job.progress.total ? `${job.progress.done}/${job.progress.total}` : String(job.progress.done),
                job.createdAt,
                job.title,
              ]),
            );
          }),
    );
  registerTaskCommands(tasks, globals);
}
