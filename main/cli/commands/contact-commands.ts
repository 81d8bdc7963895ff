/** `contacts list` and `contacts show`: browse the backup from a script or a terminal. */
import type { Command } from 'commander';
import { parseTime, printJson, printTable, withSession, type GlobalOptions } from '../cli-context';
import { userKeyOf } from '../../core/history/types';
import { CliError } from '../cli-error';
import { resolveUserKey } from '../resolve-user';
import { count } from '../../core/plural';

/** Contacts per `contacts.getMany` call (the channel's limit). */
const DETAILS_PER_CALL = 10_000;

export function registerContactCommands(program: Command, globals: () => GlobalOptions): void {
  const contacts = program.command('contacts').description('browse backed-up contacts');
  contacts
    .command('list')
    .option('--account <id>', 'only this account')
    .option('--folder <id>', 'only this folder')
    .option('--at <time>', 'the address book as of this time (ISO 8601 or YYYY-MM-DD)')
    .option('--search <text>', 'search every field, part of a phone number included')
    .option('--json', 'every contact with all its fields, as JSON')
    .action((options: { account?: string; folder?: string; at?: string; search?: string; json?: boolean }) =>
      withSession(globals(), async (api) => {
        const at = parseTime(options.at);
        let userKeys: string[] | undefined;
        if (options.account) {
          const account = (await api.call('accounts.list', {})).find((view) => view.id === options.account);
          if (!account) throw new CliError(`There is no account "${options.account}".`);
          userKeys = account.users.map((user) => userKeyOf(account.id, user.id));
        }
        const items = [];
        for (const userKey of userKeys ?? [undefined]) {
          const page = await api.call('contacts.list', {
            userKey,
            folderId: options.folder,
            at,
            search: options.search,
          });
          items.push(...page.items);
        }
        if (options.json) {
          // Every field of every contact: the info pane's `contacts.get`, many at a time.
          const full: unknown[] = [];
          for (let from = 0; from < items.length; from += DETAILS_PER_CALL) {
            const stretch = items.slice(from, from + DETAILS_PER_CALL);
            const details = await api.call('contacts.getMany', {
              contactIds: stretch.map((item) => item.id),
              at,
            });
            stretch.forEach((item, position) => {
              full.push({
                id: item.id,
                userKey: item.userKey,
                sourceId: details[position]!.sourceId,
                deleted: item.deleted,
                versions: item.versions,
                contact: details[position]!.contact,
              });
            });
          }
          printJson(full);
          return;
        }
        printTable(
          ['ID', 'NAME', 'EMAIL', 'PHONE', 'STATE'],
          items.map((item) => [
            item.id,
            item.displayName,
            item.email ?? '',
            item.phone ?? '',
            item.deleted ? 'deleted at source' : '',
          ]),
        );
        process.stdout.write(`${count(items.length, 'contact')}\n`);
      }),
    );
  contacts
    .command('folders')
    .description('the folders (labels, groups) of a user, with how many contacts each holds')
    .option('--account <id[/user]>', 'which user (default: the only one)')
    .option('--at <time>', 'as of this time')
    .option('--json', 'machine-readable output')
    .action((options: { account?: string; at?: string; json?: boolean }) =>
      withSession(globals(), async (api) => {
        const userKey = resolveUserKey(await api.call('accounts.list', {}), options.account);
        const folders = await api.call('folders.list', { userKey, at: parseTime(options.at) });
        if (options.json) return printJson(folders);
        printTable(
          ['ID', 'NAME', 'CONTACTS'],
          folders.map((folder) => [folder.id, folder.name, String(folder.count)]),
        );
      }),
    );
  contacts
    .command('show <id>')
    .option('--at <time>', 'as of this time')
    .option('--versions', 'list every version of the contact')
    .option('--json', 'machine-readable output')
    .action((id: string, options: { at?: string; versions?: boolean; json?: boolean }) =>
      withSession(globals(), async (api) => {
        const details = await api.call('contacts.get', { contactId: id, at: parseTime(options.at) });
        // Each version's contact as the info pane's version list opens it (`contacts.get` by snapshot).
        const versions = [];
        if (options.versions) {
          for (const [index, version] of details.versions.entries()) {
            const { contact } = await api.call('contacts.get', {
              contactId: id,
              snapshotId: version.snapshotId,
            });
            versions.push({
              version: index + 1,
              snapshotId: version.snapshotId,
              from: version.from,
              until: version.until ?? version.deletedAt,
              deletedAtSource: version.deletedAt !== undefined,
              contact,
            });
          }
        }
        if (options.json) {
          printJson({
            id,
            summary: details.summary,
            contact: details.contact,
            folders: details.folderNames,
            versions: options.versions ? versions : undefined,
          });
          return;
        }
        process.stdout.write(
          `${details.summary.displayName}${details.summary.deleted ? ' (deleted at source)' : ''}\n`,
        );
        process.stdout.write(
          `${JSON.stringify({ ...details.contact, folders: details.folderNames }, null, 2)}\n`,
        );
        if (options.versions) {
          printTable(
            ['VERSION', 'FROM', 'UNTIL', 'NAME'],
            versions.map((version) => [
              String(version.version),
              version.from,
              version.until ? `${version.until}${version.deletedAtSource ? ' (deleted)' : ''}` : 'current',
              version.contact.displayName,
            ]),
          );
        }
      }),
    );
}
