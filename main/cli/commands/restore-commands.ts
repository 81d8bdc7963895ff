/** `restore` and `export`: give contacts back to an account, or write them to a file. */
import type { Command } from 'commander';
import { parseTime, printJson, withSession, type GlobalOptions } from '../cli-context';
import { resolve as resolvePath } from 'node:path';
import type { RestorePlanView } from '../../core/contract/contract-types';
import type { ExportFormat, RestoreMode } from '../../core/contract/contract-types';
import { CliError, EXIT_WARNINGS } from '../cli-error';
import { readZipPassword } from '../password';
import { failIfNotSucceeded, waitForJobs } from '../run-job';
import { ownerOf, resolveUserKey } from '../resolve-user';
import { count } from '../../core/plural';

interface RestoreOptions {
  all?: boolean;
  folder?: string;
  contact?: string[];
  account?: string;
  at?: string;
  to?: string;
  mode?: RestoreMode;
  preview?: boolean;
  deleted?: boolean;
  includeDeleted?: boolean;
  toVcardFolder?: string;
  toVcardFile?: string;
  listTargets?: boolean;
  json?: boolean;
}

/** The preview as a person reads it: counts per action, then the first names of each. */
function previewText(plan: RestorePlanView): string {
  const lines = [
    `Would create ${plan.create}, update ${plan.update}, skip ${count(plan.skip, 'contact')}${plan.targetLabel ? ` in ${plan.targetLabel}` : ''}.`,
  ];
  const sections: [string, number, readonly string[] | undefined][] = [
    ['Create', plan.create, plan.names?.create],
    ['Update', plan.update, plan.names?.update],
    ['Skip', plan.skip, plan.names?.skip],
  ];
  for (const [title, count, names] of sections) {
    if (!count || !names) continue;
    lines.push(
      `${title}: ${names.join(', ')}${count > names.length ? `, and ${count - names.length} more` : ''}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function registerRestoreCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('restore')
    .description('restore contacts from the backup into an account')
    .option('--all', 'every contact of the user (Restore All)')
    .option('--folder <id>', 'one folder (Folder > Restore Folder)')
    .option('--contact <id...>', 'these contacts')
    .option('--account <id[/user]>', 'whose backup (default: the only user)')
    .option('--at <time>', 'the state as of this time (default: the latest backup)')
    .option('--to <account[/user]>', 'restore into another user or account')
    .option('--to-vcard-folder <path>', 'restore into a new vCard folder (one .vcf per contact)')
    .option('--to-vcard-file <path>', 'restore into a new vCard file (.vcf, written atomically)')
    .option('--include-deleted', 'with --all or --folder: also contacts deleted at the source')
    .option('--list-targets', 'list where the contacts of --account can be restored, and why others cannot')
    .option('--mode <mode>', 'new-folder (default), overwrite or skip')
    .option('--deleted', 'only contacts deleted at the source (after a mass deletion)')
    .option('--preview', 'only show what would be done')
    .option('--json', 'machine-readable output')
    .action((options: RestoreOptions) =>
      withSession(globals(), async (api) => {
        const accounts = await api.call('accounts.list', {});
        if (options.listTargets) {
          const view = await api.call('restore.targets', {
            userKey: resolveUserKey(accounts, options.account),
          });
          if (options.json) return printJson(view);
          for (const target of view.targets) process.stdout.write(`${target.userKey}\t${target.label}\n`);
          process.stdout.write(
            '--to-vcard-folder PATH\ta new vCard folder\n--to-vcard-file PATH\ta new vCard file\n',
          );
          for (const target of view.notOffered)
            process.stdout.write(`(not offered) ${target.label}: ${target.notOffered}\n`);
          return;
        }
        const scopes = [options.all, options.folder, options.contact?.length].filter(Boolean).length;
        if (scopes !== 1)
          throw new CliError('Say what to restore: one of --all, --folder ID or --contact ID...');
        if (options.mode && !['new-folder', 'overwrite', 'skip'].includes(options.mode)) {
          throw new CliError('--mode is new-folder, overwrite or skip.');
        }
        if ([options.to, options.toVcardFolder, options.toVcardFile].filter(Boolean).length > 1)
          throw new CliError('Give one target: --to, --to-vcard-folder or --to-vcard-file.');
        if (options.includeDeleted && options.deleted)
          throw new CliError('--deleted already means only deleted contacts; leave out --include-deleted.');
        let vcardPath = options.toVcardFolder ?? options.toVcardFile;
        let userKey: string;
        if (options.contact?.length && !options.account) {
          const owner = await ownerOf(api, options.contact[0]);
          if (!owner) throw new CliError(`There is no contact ${options.contact[0]} in the backup.`);
          userKey = owner;
        } else {
          userKey = resolveUserKey(accounts, options.account);
        }
        if (!options.to && !vcardPath) {
          // A read-only source (the sample, a PST file) goes to a new vCard folder by default.
          const targets = await api.call('restore.targets', { userKey });
          if (targets.suggested === 'vcard-folder') {
            vcardPath = targets.suggestedPaths.folder;
            process.stderr.write(
              `The source is read-only: restoring into a new vCard folder, ${vcardPath}\n`,
            );
          }
        }
        const request = {
          userKey,
          scope: options.all
            ? ('all' as const)
            : options.folder
              ? ('folder' as const)
              : ('contacts' as const),
          folderId: options.folder,
          contactIds: options.contact,
          at: parseTime(options.at),
          target: options.to ? resolveUserKey(accounts, options.to, '--to') : undefined,
          mode: options.mode,
          onlyDeleted: options.deleted,
          includeDeleted: options.includeDeleted,
          ...(vcardPath
            ? {
                targetPath: resolvePath(vcardPath),
                targetKind: options.toVcardFile ? ('vcard-file' as const) : ('vcard-folder' as const),
              }
            : {}),
        };
        if (options.preview) {
          const plan = await api.call('restore.preview', request);
          if (options.json) return printJson(plan);
          process.stdout.write(previewText(plan));
          if (plan.unmappedFields.length)
            process.stdout.write(`The target cannot hold: ${plan.unmappedFields.join(', ')}\n`);
          return;
        }
        const started = await api.call('restore.start', request);
        const [job] = await waitForJobs(api, [started]);
        if (options.json) printJson(job);
        else if (job.state === 'succeeded')
          // The restore's own sentence (the Task Manager shows it too).
          process.stdout.write(
            `${(job.result as { summary?: string } | undefined)?.summary ?? 'Restored.'}\n`,
          );
        failIfNotSucceeded([job]);
      }),
    );

  program
    .command('export')
    .description('export contacts to a PST, vCard or CSV file')
    .requiredOption('--format <format>', 'pst, vcf (vCard 4.0), vcf3, csv-google or csv-outlook')
    .requiredOption('--out <file>', 'the file to write')
    .option('--all', 'every contact of the user')
    .option('--folder <id...>', 'these folders')
    .option('--contact <id...>', 'these contacts')
    .option('--account <id[/user]>', 'whose backup (default: the only user)')
    .option('--at <time>', 'as of this time')
    .option('--zip-password-stdin', 'wrap the file in an AES-256 ZIP; the password comes on standard input')
    .option('--json', 'machine-readable output')
    .action(
      (options: {
        format: ExportFormat;
        out: string;
        all?: boolean;
        folder?: string[];
        contact?: string[];
        account?: string;
        at?: string;
        zipPasswordStdin?: boolean;
        json?: boolean;
      }) =>
        withSession(globals(), async (api) => {
          if (!['pst', 'vcf', 'vcf3', 'csv-google', 'csv-outlook'].includes(options.format)) {
            throw new CliError('--format is pst, vcf, vcf3, csv-google or csv-outlook.');
          }
          if ([options.all, options.folder?.length, options.contact?.length].filter(Boolean).length !== 1) {
            throw new CliError('Say what to export: one of --all, --folder ID... or --contact ID...');
          }
          const owner = options.contact?.length ? await ownerOf(api, options.contact[0]) : undefined;
          const userKey =
            owner && !options.account
              ? owner
              : resolveUserKey(await api.call('accounts.list', {}), options.account);
          const zipPassword = options.zipPasswordStdin ? await readZipPassword(globals()) : undefined;
          // The export service's own sentence (the channel's schema would refuse it less kindly).
          if (zipPassword !== undefined && zipPassword.length < 8)
            throw new CliError('The ZIP password must have at least 8 characters.');
          const job = await api.call('export.start', {
            userKey,
            format: options.format,
            path: options.out,
            contactIds: options.contact,
            folderIds: options.folder,
            at: parseTime(options.at),
            zipPassword,
          });
          const [done] = await waitForJobs(api, [job]);
          if (options.json) printJson(done);
          else if (done.state === 'succeeded') {
            const result = done.result as { path: string; contacts: number };
            process.stdout.write(`Exported ${count(result.contacts, 'contact')} to ${result.path}.\n`);
          }
          failIfNotSucceeded([done]);
          // The file was written, but incomplete: say so and exit with the "done with warnings" code.
          const missing = (done.result as { photosMissing?: number } | undefined)?.photosMissing ?? 0;
          if (missing) {
            process.stderr.write(
              `contacts-backup: warning: ${count(missing, 'photo')} could not be read from the backup; the export has no photo for those contacts.\n`,
            );
            process.exitCode = EXIT_WARNINGS;
          }
        }),
    );
}
