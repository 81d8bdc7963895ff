/**
 * `account add <kind>` for every source whose registry descriptor has a connect form (CardDAV, and
 * any kind registered later): one option per field (`--server`, `--user`, ...), the secret field
 * from standard input (`--secret-stdin`) or CONTACTS_BACKUP_CLIENT_SECRET, never an argument.
 */
import type { Command } from 'commander';
import { withSession, type GlobalOptions } from '../cli-context';
import { providerDescriptors } from '../../core/accounts/provider-registry';
import { readAccountSecret, SECRET_ENV } from '../password';
import { count } from '../../core/plural';

/** commander's camelCase key for a kebab-case option name. */
function optionKey(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, char: string) => char.toUpperCase());
}

export function registerFormConnectCommands(add: Command, globals: () => GlobalOptions): void {
  for (const descriptor of providerDescriptors()) {
    const connect = descriptor.connect;
    if (connect.flow !== 'form') continue;
    const command = add.command(descriptor.kind).description(descriptor.description);
    const secretField = connect.fields.find((field) => field.secret);
    for (const field of connect.fields) {
      if (field.secret) continue;
      const choices = field.options ? ` (${field.options.map((option) => option.value).join('|')})` : '';
      const flag = `--${field.name} <value>`;
      const text = `${field.label}${choices}${field.showWhen ? `; with --${field.showWhen.field} ${field.showWhen.values.join('|')}` : ''}`;
      if (field.required && !field.showWhen && field.defaultValue === undefined)
        command.requiredOption(flag, text);
      else command.option(flag, text, field.defaultValue);
    }
    command.option('--label <label>', 'a name for the account');
    if (secretField) {
      command.option(
        '--secret-stdin',
        `read the ${secretField.label.toLowerCase()} from standard input (after the backup password with --password-stdin); else ${SECRET_ENV}`,
      );
    }
    command.action((options: Record<string, string | boolean | undefined>) =>
      withSession(globals(), async (api) => {
        const values: Record<string, string> = {};
        for (const field of connect.fields) {
          const value = options[optionKey(field.name)];
          if (!field.secret && typeof value === 'string') values[field.name] = value;
        }
        const secret = secretField
          ? await readAccountSecret(
              { passwordStdin: globals().passwordStdin, secretStdin: options.secretStdin === true },
              secretField.label.toLowerCase(),
            )
          : undefined;
        const label = typeof options.label === 'string' ? options.label : undefined;
        // The connect form's channel: the secret is sealed in the vault, never stored in settings.
        const account = await api.call('accounts.connectForm', {
          kind: descriptor.kind,
          values,
          secret,
          label,
        });
        process.stdout.write(
          `Added account ${account.id} (${account.label}) with ${count(account.users.length, 'user')}.\n`,
        );
      }),
    );
  }
}
