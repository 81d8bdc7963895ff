/** `account add sample|vcard`, `account list`, `account remove`. */
import type { Command } from 'commander';
import { printJson, printTable, withSession, type GlobalOptions } from '../cli-context';
import { addSampleAccount, addVcardAccount, removeAccount } from '../../core/session/account-service';
import { accountViews } from '../../core/session/browse-service';
import { registerConnectCommands } from './connect-commands';
import { registerFormConnectCommands } from './form-connect-commands';

export function registerAccountCommands(program: Command, globals: () => GlobalOptions): void {
  const account = program.command('account').description('manage the accounts this profile backs up');
  const add = account.command('add').description('connect a source');
  registerConnectCommands(add, globals);
  registerFormConnectCommands(add, globals);
  add
    .command('sample')
    .description('the built-in sample address book, to try every feature')
    .action(() =>
      withSession(globals(), async (session) => {
        const record = await addSampleAccount(session);
        process.stdout.write(`Added account ${record.id} (${record.label}).\n`);
      }),
    );
  add
    .command('vcard')
    .description('a .vcf file or a folder of .vcf files')
    .requiredOption('--file <path>', 'the .vcf file or folder')
    .option('--label <label>', 'a name for the account')
    .action((options: { file: string; label?: string }) =>
      withSession(globals(), async (session) => {
        const record = await addVcardAccount(session, options.file, options.label);
        process.stdout.write(`Added account ${record.id} (${record.label}).\n`);
      }),
    );
  account
    .command('list')
    .option('--json', 'machine-readable output')
    .action((options: { json?: boolean }) =>
      withSession(globals(), async (session) => {
        const views = accountViews(session);
        if (options.json) return printJson(views);
        printTable(
          ['ID', 'KIND', 'LABEL', 'USER', 'CONTACTS', 'LAST BACKUP', 'STATUS'],
          views.flatMap((view) =>
            view.users.map((user) => [
              view.id,
              view.kind,
              view.label,
              user.email || user.displayName || user.id,
              String(user.contactCount),
              user.lastBackupAt ?? 'never',
              user.blockedReason ?? view.status,
            ]),
          ),
        );
      }),
    );
  account
    .command('remove <id>')
    .description('remove an account (its backups stay until deleted)')
    .action((id: string) => withSession(globals(), (session) => removeAccount(session, id)));
}
