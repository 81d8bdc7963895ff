/**
 * `licence show|install`, `users list|enable|disable|refresh` (issue 9): the licence and the
 * administrator's choice of directory users, over the same services as Settings > Licence.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { printJson, printTable, withSession, type GlobalOptions } from '../cli-context';
import { CliError } from '../cli-error';
import type { AccountView, LicenceView } from '../../core/contract/contract-types';
import { count } from '../../core/plural';

interface SelectOptions {
  readonly account?: string;
  readonly all?: boolean;
  readonly search?: string;
}

export function registerLicenceCommands(program: Command, globals: () => GlobalOptions): void {
  const licence = program.command('licence').description('show or install the licence key');
  licence
    .command('show')
    .description('edition, licensee, seats used and free, expiry')
    .option('--json', 'machine-readable output')
    .action((options: { json?: boolean }) =>
      withSession(globals(), async (api) => {
        const view = await api.call('licence.status', {});
        if (options.json) printJson(view);
        else process.stdout.write(describeLicence(view));
      }),
    );
  licence
    .command('install <file>')
    .description('verify a licence key (a text file, or - for standard input) and install it')
    .action(async (file: string) => {
      const key = await readKey(file, globals());
      await withSession(globals(), async (api) => {
        const view = await api.call('licence.install', { key });
        process.stdout.write(`Licence installed.\n${describeLicence(view)}`);
      });
    });

  const users = program.command('users').description('choose the users whose contacts are backed up');
  users
    .command('list')
    .option('--account <id>', 'only this account')
    .option('--json', 'machine-readable output')
    .action((options: { account?: string; json?: boolean }) =>
      withSession(globals(), async (api) => {
        const views = (await api.call('accounts.list', {})).filter(
          (view) => !options.account || view.id === options.account,
        );
        if (options.account && !views.length) throw noAccount(options.account);
        if (options.json) return printJson(views);
        const summary = await api.call('licence.status', {});
        printTable(
          ['ACCOUNT', 'USER', 'EMAIL', 'ENABLED', 'ACTIVE', 'BACKUP'],
          views.flatMap((view) =>
            view.users.map((user) => [
              view.id,
              user.id,
              user.email || user.displayName || '',
              user.enabled ? 'yes' : 'no',
              user.active ? 'yes' : 'no',
              user.blockedReason ?? 'ok',
            ]),
          ),
        );
        process.stdout.write(seatLine(summary));
      }),
    );
  for (const enabled of [true, false]) {
    users
      .command(`${enabled ? 'enable' : 'disable'} [ids...]`)
      .description(
        enabled
          ? 'turn Contacts backup on for users (all or nothing, never more than the seats)'
          : 'turn Contacts backup off for users (their backups are kept and stay browsable)',
      )
      .option('--account <id>', 'the account of the users (needed when there are several)')
      .option('--all', 'every user of the account')
      .option('--search <text>', 'users whose e-mail, name or id contains the text')
      .action((ids: string[], options: SelectOptions) =>
        withSession(globals(), async (api) => {
          const accounts = await api.call('accounts.list', {});
          const { account, userIds } = selectUsers(accounts, ids, options, enabled);
          const view = await api.call('users.setEnabled', { accountId: account.id, userIds, enabled });
          process.stdout.write(
            `Contacts backup ${enabled ? 'enabled' : 'disabled'} for ${count(userIds.length, 'user')} of ${view.label}.\n`,
          );
          process.stdout.write(seatLine(await api.call('licence.status', {})));
        }),
      );
  }
  users
    .command('refresh')
    .description('list the users of the domain or tenant again (new users are enabled while seats remain)')
    .option('--account <id>', 'the account (needed when there are several)')
    .action((options: { account?: string }) =>
      withSession(globals(), async (api) => {
        const account = pickAccount(await api.call('accounts.list', {}), options.account, []);
        const view = await api.call('users.refresh', { accountId: account.id });
        process.stdout.write(`${view.label}: ${count(view.users.length, 'user')}.\n`);
        process.stdout.write(seatLine(await api.call('licence.status', {})));
      }),
    );
}

async function readKey(file: string, globals: GlobalOptions): Promise<string> {
  if (file === '-') {
    if (globals.passwordStdin) {
      throw new CliError('Standard input already carries the password: give the licence key as a file.');
    }
    let text = '';
    process.stdin.setEncoding('utf8');
    for await (const chunk of process.stdin) text += chunk;
    return text;
  }
  try {
    return await readFile(resolve(file), 'utf8');
  } catch {
    throw new CliError(`Cannot read the licence key file ${resolve(file)}.`);
  }
}

function describeLicence(view: LicenceView): string {
  const lines = [
    `Edition:  ${view.edition}`,
    `State:    ${view.state}`,
    ...(view.licensee ? [`Licensee: ${view.licensee}`] : []),
    ...(view.edition === 'business'
      ? [`Seats:    ${view.used} used, ${view.free} free of ${view.seats}`]
      : []),
    ...(view.expiresAt ? [`Expires:  ${view.expiresAt.slice(0, 10)}`] : []),
    ...(view.message ? ['', view.message] : []),
  ];
  return `${lines.join('\n')}\n`;
}

function seatLine(view: LicenceView): string {
  return view.edition === 'business'
    ? `Seats: ${view.used} used, ${view.free} free of ${view.seats} (${view.state}).\n`
    : `Edition: personal (${view.state}): directory users need a business licence.\n`;
}

function noAccount(id: string): CliError {
  return new CliError(`There is no account "${id}" (see \`account list\`).`);
}

/** The account meant: --account, the account named by ACCOUNT/USER ids, the only directory account, or the only account. */
function pickAccount(
  accounts: readonly AccountView[],
  wanted: string | undefined,
  ids: readonly string[],
): AccountView {
  const fromIds = new Set(ids.filter((id) => id.includes('/')).map((id) => id.split('/', 1)[0]));
  if (wanted) fromIds.add(wanted);
  if (fromIds.size > 1) {
    throw new CliError('Choose users of one account at a time (their seats are checked together).');
  }
  const [named] = fromIds;
  if (named) {
    const account = accounts.find((candidate) => candidate.id === named);
    if (!account) throw noAccount(named);
    return account;
  }
  const directory = accounts.filter((account) => account.seatSource === 'directory');
  if (directory.length === 1) return directory[0];
  if (accounts.length === 1) return accounts[0];
  throw new CliError(`There are ${accounts.length} accounts; choose one with --account ID.`);
}

function selectUsers(
  accounts: readonly AccountView[],
  ids: readonly string[],
  options: SelectOptions,
  enabling: boolean,
): { account: AccountView; userIds: string[] } {
  if (!ids.length && !options.all && options.search === undefined) {
    throw new CliError('Name the users (IDs or e-mails), or use --all or --search TEXT.');
  }
  const account = pickAccount(accounts, options.account, ids);
  const chosen = new Set<string>();
  for (const raw of ids) {
    const spec = raw.includes('/') ? raw.slice(raw.indexOf('/') + 1) : raw;
    const user = account.users.find(
      (candidate) => candidate.id === spec || candidate.email.toLowerCase() === spec.toLowerCase(),
    );
    if (!user) throw new CliError(`Account ${account.id} has no user "${spec}" (see \`users list\`).`);
    chosen.add(user.id);
  }
  // --all and --search never spend seats on users the directory lists as suspended.
  const candidates = account.users.filter((user) => !enabling || user.active);
  if (options.all) for (const user of candidates) chosen.add(user.id);
  if (options.search !== undefined) {
    const text = options.search.toLowerCase();
    const matches = candidates.filter((user) =>
      [user.id, user.email, user.displayName ?? ''].some((field) => field.toLowerCase().includes(text)),
    );
    if (!matches.length) throw new CliError(`No user of account ${account.id} matches "${options.search}".`);
    for (const user of matches) chosen.add(user.id);
  }
  return { account, userIds: [...chosen] };
}
