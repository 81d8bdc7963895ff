/** `account add sample|vcard`, `account list`, `account remove`. */
import type { Command } from 'commander';
import { printJson, printTable, withSession, type GlobalOptions } from '../cli-context';
import { readFile } from 'node:fs/promises';
import { CliError } from '../cli-error';
import { readSecretLine, registerConnectCommands } from './connect-commands';
import { registerFormConnectCommands } from './form-connect-commands';
import { environmentSecret } from '../secret-environment';

export function registerAccountCommands(program: Command, globals: () => GlobalOptions): void {
  const account = program.command('account').description('manage the accounts this profile backs up');
  const add = account.command('add').description('connect a source');
  registerConnectCommands(add, globals);
  registerFormConnectCommands(add, globals);
  add
    .command('sample')
    .description('the built-in sample address book, to try every feature')
    .action(() =>
      withSession(globals(), async (api) => {
        const record = await api.call('accounts.addSample', {});
        process.stdout.write(`Added account ${record.id} (${record.label}).\n`);
      }),
    );
  add
    .command('vcard')
    .description('a .vcf file or a folder of .vcf files')
    .requiredOption('--file <path>', 'the .vcf file or folder')
    .option('--label <label>', 'a name for the account')
    .action((options: { file: string; label?: string }) =>
      withSession(globals(), async (api) => {
        const record = await api.call('accounts.addVcard', { path: options.file, label: options.label });
        process.stdout.write(`Added account ${record.id} (${record.label}).\n`);
      }),
    );
  account
    .command('list')
    .option('--json', 'machine-readable output')
    .action((options: { json?: boolean }) =>
      withSession(globals(), async (api) => {
        const views = await api.call('accounts.list', {});
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
    .command('reconnect <id>')
    .description('sign an account in again (same account, history and cursors), e.g. after a revoked grant')
    .option('--key-file <path>', 'Workspace: the service account’s new key (JSON)')
    .option('--client-secret-stdin', 'Microsoft tenant: read the new client secret from stdin')
    .option('--no-browser', 'print the sign-in address instead of opening the browser')
    .action((id: string, options: { keyFile?: string; clientSecretStdin?: boolean; browser?: boolean }) =>
      withSession(
        { ...globals(), browser: options.browser === false ? false : globals().browser },
        async (api) => {
          let keyJson: string | undefined;
          if (options.keyFile) {
            try {
              keyJson = await readFile(options.keyFile, 'utf8');
              JSON.parse(keyJson);
            } catch {
              throw new CliError(`${options.keyFile} is not a readable service-account key (JSON).`);
            }
          }
          const clientSecret = options.clientSecretStdin
            ? await readSecretLine()
            : environmentSecret('CONTACTS_BACKUP_CLIENT_SECRET');
          const record = await api.call('accounts.reconnect', { accountId: id, keyJson, clientSecret });
          process.stdout.write(`Signed in again to account ${record.id} (${record.label}).\n`);
        },
      ),
    );
  account
    .command('configure <on|off>')
    .description('turn Contacts backup on or off for every account, or the ones named (Configure Backup)')
    .option('--account <id...>', 'only these accounts')
    .action((state: string, options: { account?: string[] }) =>
      withSession(globals(), async (api) => {
        if (state !== 'on' && state !== 'off') throw new CliError('Say on or off.');
        const known = new Set((await api.call('accounts.list', {})).map((view) => view.id));
        const unknown = options.account?.find((id) => !known.has(id));
        if (unknown) throw new CliError(`There is no account "${unknown}" (see \`account list\`).`);
        // Configure Backup > Save, without its "back up now" (run `backup` for that).
        await api.call('backup.configure', {
          enabled: state === 'on',
          applyToEnabledUsers: false,
          accountIds: options.account,
        });
        const which = options.account ? options.account.join(', ') : 'every account';
        process.stdout.write(`Contacts backup is ${state} for ${which}.\n`);
      }),
    );
  account
    .command('remove <id>')
    .description('remove an account (its backups stay until deleted)')
    .action((id: string) =>
      withSession(globals(), async (api) => {
        await api.call('accounts.remove', { accountId: id });
      }),
    );
}
