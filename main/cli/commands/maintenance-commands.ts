/**
 * `delete`, `excluded`, `diff`, `audit`, `check`, `retention` and `tasks cancel|resume|watch`: what a backup
 * administrator scripts besides backup and restore.
 */
import type { Command } from 'commander';
import {
  openApp,
  openVaultOnly,
  printJson,
  printTable,
  withSession,
  type GlobalOptions,
} from '../cli-context';
import { HistoryStore } from '../../core/history/history-store';
import { checkVault } from '../../core/history/integrity-check';
import { AuditLog, type AuditFile } from '../../core/audit/audit-log';
import { openSideDatabase } from '../../core/vault/side-file';
import { describeRetention, parseRetentionPolicy } from '../../core/history/retention';
import { readPassword } from '../password';
import { CliError } from '../cli-error';
import { failIfNotSucceeded, jobsFinished, waitForJobs } from '../run-job';
import { ownerOf, resolveUserKey } from '../resolve-user';
import { count } from '../../core/plural';

export function registerMaintenanceCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('delete')
    .description('delete contacts or a folder from the backup (asks for the backup password again)')
    .option('--contact <id...>', 'these contacts, with all their revisions')
    .option('--folder <id>', 'this folder and every contact it ever held')
    .option('--account <id[/user]>', 'whose backup (for --folder)')
    .option('--keep-out', 'leave them out of later backups while they still exist at the source')
    .action((options: { contact?: string[]; folder?: string; account?: string; keepOut?: boolean }) =>
      withSession(globals(), async (api) => {
        if (Boolean(options.contact?.length) === Boolean(options.folder)) {
          throw new CliError('Say what to delete: --contact ID... or --folder ID.');
        }
        const userKey = options.contact?.length
          ? await ownerOf(api, options.contact[0])
          : resolveUserKey(await api.call('accounts.list', {}), options.account);
        if (!userKey) throw new CliError(`There is no contact ${options.contact?.[0]} in the backup.`);
        // The password that unlocked the profile is asked again: deleting from the backup is final.
        const password = await readPassword(globals());
        const job = await api.call('delete.start', {
          userKey,
          contactIds: options.contact,
          folderId: options.folder,
          password,
          ...(options.keepOut ? { keepOutOfBackups: true } : {}),
        });
        const [done] = await waitForJobs(api, [job]);
        failIfNotSucceeded([done]);
        process.stdout.write(
          `${done.title}: ${count(done.counts.contacts ?? 0, 'contact')}, ${count(done.counts.revisions ?? 0, 'revision')} removed.\n`,
        );
      }),
    );

  program
    .command('excluded')
    .description('contacts deleted with --keep-out that backups skip; --clear lets them back in')
    .option('--account <id[/user]>', 'whose backup')
    .option('--clear', 'back them up again the next time the source reports them')
    .option('--json', 'machine-readable output')
    .action((options: { account?: string; clear?: boolean; json?: boolean }) =>
      withSession(globals(), async (api) => {
        const userKey = resolveUserKey(await api.call('accounts.list', {}), options.account);
        if (options.clear) {
          const { cleared } = await api.call('exclusions.clear', { userKey });
          if (options.json) return printJson({ userKey, cleared });
          process.stdout.write(
            `${count(cleared, 'contact')} will be backed up again at the next backup (it reads the whole address book).\n`,
          );
          return;
        }
        const ids = (await api.call('exclusions.list', { userKey })).sourceIds;
        if (options.json) return printJson({ userKey, sourceIds: ids });
        process.stdout.write(`Kept out of the backups of ${userKey}: ${count(ids.length, 'contact')}.\n`);
      }),
    );

  program
    .command('diff')
    .description('what changed between two backups (ids from `snapshots`)')
    .requiredOption('--from <snapshot>', 'the earlier backup')
    .requiredOption('--to <snapshot>', 'the later backup')
    .option('--account <id[/user]>', 'whose backups')
    .option('--json', 'machine-readable output')
    .action((options: { from: string; to: string; account?: string; json?: boolean }) =>
      withSession(globals(), async (api) => {
        const snapshots = await api.call('snapshots.list', {});
        const userKey =
          snapshots.find((snapshot) => snapshot.id === options.from)?.userKey ??
          resolveUserKey(await api.call('accounts.list', {}), options.account);
        const diff = await api.call('snapshots.diff', { userKey, from: options.from, to: options.to });
        if (options.json) return printJson(diff);
        for (const item of diff.added) process.stdout.write(`+ ${item.displayName}\n`);
        for (const item of diff.changed)
          process.stdout.write(`~ ${item.displayName} (${item.fields.join(', ')})\n`);
        for (const item of diff.deleted) process.stdout.write(`- ${item.displayName}\n`);
        process.stdout.write(
          `${diff.added.length} added, ${diff.changed.length} changed, ${diff.deleted.length} deleted.\n`,
        );
      }),
    );

  program
    .command('snapshots')
    .description('the backups (snapshots) of the profile')
    .option('--account <id[/user]>', 'only this user')
    .option('--json', 'machine-readable output')
    .action((options: { account?: string; json?: boolean }) =>
      withSession(globals(), async (api) => {
        const userKey = options.account
          ? resolveUserKey(await api.call('accounts.list', {}), options.account)
          : undefined;
        // The API answers newest first (the app's list); the CLI has always printed oldest first.
        const snapshots = [...(await api.call('snapshots.list', { userKey }))].reverse();
        if (options.json) return printJson(snapshots);
        printTable(
          ['ID', 'USER', 'KIND', 'FINISHED', 'ADDED', 'CHANGED', 'DELETED', 'NOTE'],
          snapshots.map((snapshot) => [
            snapshot.id,
            snapshot.userKey,
            snapshot.kind,
            snapshot.finishedAt,
            String(snapshot.counts.added),
            String(snapshot.counts.changed),
            String(snapshot.counts.deleted),
            snapshot.massDeletion ? 'mass deletion at source' : '',
          ]),
        );
      }),
    );

  program
    .command('audit')
    .description('the audit log: every backup, restore, export, delete, sign-in and setting change')
    .option('--search <text>', 'only entries containing this text')
    .option('--json', 'machine-readable output')
    .action((options: { search?: string; json?: boolean }) =>
      withSession(globals(), async (api) => {
        const entries = await api.call('audit.list', { search: options.search });
        if (options.json) return printJson(entries);
        printTable(
          ['TIME', 'ACTION', 'DESCRIPTION'],
          entries.map((entry) => [entry.at, entry.action, entry.description]),
        );
      }),
    );

  program
    .command('check')
    .description(
      'verify every file of the backup without loading the history; --repair rebuilds a missing or rolled-back catalog and removes leftovers nothing uses',
    )
    .option('--repair', 'rebuild the catalog if needed; remove unreferenced files (never data a backup uses)')
    .option('--json', 'machine-readable output')
    .action(async (options: { repair?: boolean; json?: boolean }) => {
      const app = openApp(globals());
      const { vault, profile, close } = await openVaultOnly(app, globals());
      try {
        const store = await HistoryStore.open(vault, { catalogOnly: true });
        const result = await checkVault(vault, store, { repair: Boolean(options.repair) });
        const errors = result.problems.filter((problem) => problem.severity === 'error').length;
        const audit = new AuditLog(
          await openSideDatabase<AuditFile>(vault, 'audit', { version: 1, entries: [] }, (moved) =>
            process.stderr.write(
              `Warning: the audit log was damaged and was moved aside to ${moved.movedTo}.\n`,
            ),
          ),
          profile.id,
          app.clock,
        );
        await audit.record(
          'check',
          `Integrity check${options.repair ? ' with repair' : ''} (cli): ${count(errors, 'error')}, ${count(result.problems.length - errors, 'warning')}, ${result.repaired} repaired.`,
        );
        if (options.json) printJson(result);
        else {
          for (const problem of result.problems)
            process.stdout.write(`${problem.severity}: ${problem.where}: ${problem.what}\n`);
          process.stdout.write(
            `Checked ${count(result.filesChecked, 'file')} and ${count(result.blobsChecked, 'photo')}: ${count(result.problems.length, 'problem')}${options.repair ? `, ${result.repaired} repaired` : ''}.\n`,
          );
        }
        // A rebuilt catalog was an error that is now mended: exit 0 only if nothing else is wrong.
        const remaining = result.problems.filter(
          (problem) => problem.severity === 'error' && !(options.repair && problem.repairable),
        );
        if (remaining.length) process.exitCode = 1;
      } finally {
        await close();
      }
    });

  const settings = program.command('settings').description('the profile’s settings (the Settings screen)');
  settings
    .command('show')
    .option('--json', 'machine-readable output')
    .action((options: { json?: boolean }) =>
      withSession(globals(), async (api) => {
        const view = await api.call('settings.get', {});
        if (options.json) return printJson(view);
        const on = (value: boolean) => (value ? 'on' : 'off');
        process.stdout.write(
          [
            `Lock after ${view.idleLockMinutes ? `${view.idleLockMinutes} idle minutes` : 'never'}`,
            `Mass-deletion warning: ${Math.round(view.massDeletion.share * 100)}% and at least ${view.massDeletion.minimum} contacts`,
            `Notifications: job created ${on(view.notifications.jobCreated)}, job failed ${on(view.notifications.jobFailed)}, mass deletion ${on(view.notifications.massDeletion)}, sign-in needed ${on(view.notifications.signInNeeded)}`,
            `Start at login: ${on(view.startAtLogin)}`,
          ].join('\n') + '\n',
        );
      }),
    );
  settings
    .command('set')
    .option('--idle-lock-minutes <n>', 'lock the profile in the app after this many idle minutes (0: never)')
    .option('--mass-deletion-percent <n>', 'warn when a backup deletes this share of the contacts (1-100)')
    .option('--mass-deletion-minimum <n>', '...and at least this many contacts')
    .action(
      (options: { idleLockMinutes?: string; massDeletionPercent?: string; massDeletionMinimum?: string }) =>
        withSession(globals(), async (api) => {
          const number = (value: string | undefined, name: string): number | undefined => {
            if (value === undefined) return undefined;
            if (!/^\d+$/.test(value)) throw new CliError(`${name} takes a whole number.`);
            return Number(value);
          };
          const idleLockMinutes = number(options.idleLockMinutes, '--idle-lock-minutes');
          const percent = number(options.massDeletionPercent, '--mass-deletion-percent');
          const minimum = number(options.massDeletionMinimum, '--mass-deletion-minimum');
          if (idleLockMinutes === undefined && percent === undefined && minimum === undefined)
            throw new CliError('Give a setting to change (see `settings set --help`).');
          const current = await api.call('settings.get', {});
          // The Settings screen's setter, with its limits (a value out of range is refused there).
          await api.call('settings.set', {
            ...(idleLockMinutes !== undefined ? { idleLockMinutes } : {}),
            ...(percent !== undefined || minimum !== undefined
              ? {
                  massDeletion: {
                    share: percent !== undefined ? percent / 100 : current.massDeletion.share,
                    minimum: minimum ?? current.massDeletion.minimum,
                  },
                }
              : {}),
          });
          process.stdout.write('Saved.\n');
        }),
    );

  const retention = program.command('retention').description('how long old revisions are kept');
  retention
    .command('show')
    .option('--json', 'machine-readable output')
    .action((options: { json?: boolean }) =>
      withSession(globals(), async (api) => {
        const { settings } = await api.call('retention.get', {});
        if (options.json) printJson(settings);
        else process.stdout.write(`${describeRetention(settings)}\n`);
      }),
    );
  retention
    .command('set')
    .requiredOption('--keep <policy>', 'all, last:N, days:D or gfs:DAILY,WEEKLY,MONTHLY')
    .option('--deleted-days <n>', 'keep contacts deleted at the source this many days (default: forever)')
    .option('--purge-delay <n>', 'wait this many days before removing anything')
    .action((options: { keep: string; deletedDays?: string; purgeDelay?: string }) =>
      withSession(globals(), async (api) => {
        const policy = parseRetentionPolicy(options.keep);
        if (!policy)
          throw new CliError('--keep is all, last:N, days:D or gfs:DAILY,WEEKLY,MONTHLY (whole numbers).');
        const days = (value: string | undefined, name: string) => {
          if (value === undefined) return undefined;
          if (!/^\d+$/.test(value)) throw new CliError(`${name} takes a whole number of days.`);
          return Number(value);
        };
        const deletedKeepDays = days(options.deletedDays, '--deleted-days');
        const purgeDelayDays = days(options.purgeDelay, '--purge-delay');
        // The same setter as the app's Settings; the CLI then applies the policy at once.
        const view = await api.call('retention.set', {
          policy,
          ...(deletedKeepDays !== undefined ? { deletedKeepDays } : {}),
          ...(purgeDelayDays !== undefined ? { purgeDelayDays } : {}),
        });
        const applied = await api.call('retention.apply', {});
        process.stdout.write(
          `${describeRetention(view.settings)}\nRemoved now: ${count(applied.revisionsRemoved, 'revision')}, ${count(applied.contactsRemoved, 'contact')}.\n`,
        );
      }),
    );
}

export function registerTaskCommands(tasks: Command, globals: () => GlobalOptions): void {
  tasks
    .command('cancel <id>')
    .description('cancel a queued or running job')
    .action((id: string) =>
      withSession(globals(), async (api) => {
        const job = await api.call('tasks.cancel', { id });
        process.stdout.write(`${job.title}: ${job.state === 'running' ? 'cancelling' : job.state}.\n`);
        await jobsFinished(api, [id]);
      }),
    );
  tasks
    .command('resume <id>')
    .description('run an interrupted, failed or cancelled job again and wait for it')
    .action((id: string) =>
      withSession(globals(), async (api) => {
        const job = await api.call('tasks.resume', { id });
        const [done] = await waitForJobs(api, [job]);
        failIfNotSucceeded([done]);
        process.stdout.write(`${done.title}: ${done.state}.\n`);
      }),
    );
}
