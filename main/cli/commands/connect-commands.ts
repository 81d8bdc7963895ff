/**
 * `account add google|microsoft|pst`: connect a real account (sign-in in the system browser, or a
 * Workspace/tenant credential) or an old Outlook archive. Every endpoint can be set per account,
 * for national clouds and for the test fakes.
 */
import { Option, type Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { withSession, type GlobalOptions } from '../cli-context';
import {
  loadAppRegistrations,
  type GoogleAppRegistration,
  type MicrosoftAppRegistration,
} from '../../core/accounts/app-registrations';
import type { ConnectResultView } from '../../core/contract/contract-types';
import { packageRoot } from '../package-root';
import { CliError } from '../cli-error';
import { readClientSecretLine } from '../password';
import { environmentSecret } from '../secret-environment';
import { count } from '../../core/plural';

/** Where a client secret may come from: never the command line, where `ps` and shell history show it. */
interface ClientSecretOptions {
  clientSecret?: string;
  clientSecretFile?: string;
  clientSecretStdin?: boolean;
}

interface GoogleOptions extends ClientSecretOptions {
  clientId?: string;
  rootUrl?: string;
  authUrl?: string;
  tokenUrl?: string;
  otherContacts?: boolean;
  workspaceAdmin?: string;
  domain?: string;
  keyFile?: string;
  browser?: boolean;
}

interface MicrosoftOptions extends ClientSecretOptions {
  clientId?: string;
  authority?: string;
  graphUrl?: string;
  caFile?: string;
  tenant?: string;
  browser?: boolean;
}

/** Adds the client-secret options; the old `--client-secret <secret>` is kept hidden only to refuse it. */
function clientSecretOptions(command: Command, what: string): Command {
  return command
    .option('--client-secret-file <path>', `a file holding ${what} (or CONTACTS_BACKUP_CLIENT_SECRET)`)
    .option('--client-secret-stdin', `read ${what} from standard input (after the password line if any)`)
    .addOption(new Option('--client-secret <secret>').hideHelp());
}

/**
 * The client secret from a file, standard input or CONTACTS_BACKUP_CLIENT_SECRET (taken out of the
 * environment at start). A secret given as an argument is refused: it would already show in `ps`.
 */
async function clientSecret(
  options: ClientSecretOptions,
  globals: GlobalOptions,
): Promise<string | undefined> {
  if (options.clientSecret !== undefined) {
    throw new CliError(
      'A client secret is never taken on the command line (it shows in `ps` and the shell history): use --client-secret-file, --client-secret-stdin or CONTACTS_BACKUP_CLIENT_SECRET.',
    );
  }
  if (options.clientSecretFile) {
    let text: string;
    try {
      text = await readFile(options.clientSecretFile, 'utf8');
    } catch {
      throw new CliError(`Cannot read the client secret file ${options.clientSecretFile}.`);
    }
    const secret = text.trim();
    if (!secret) throw new CliError(`The client secret file ${options.clientSecretFile} is empty.`);
    return secret;
  }
  if (options.clientSecretStdin) return readClientSecretLine(globals);
  return environmentSecret('CONTACTS_BACKUP_CLIENT_SECRET');
}

export function registerConnectCommands(add: Command, globals: () => GlobalOptions): void {
  clientSecretOptions(
    add
      .command('google')
      .description('a Google account (sign-in in the browser) or a Workspace domain (--workspace-admin)')
      .option(
        '--client-id <id>',
        'your own OAuth client id (default: the app’s own, when this build has one)',
      ),
    'the OAuth client secret of your own client id (desktop clients have one)',
  )
    .option('--other-contacts', 'also back up "Other contacts" (read-only, kept apart)')
    .option('--workspace-admin <email>', 'Workspace: an administrator to list the domain’s users')
    .option('--domain <domain>', 'Workspace: the domain')
    .option('--key-file <path>', 'Workspace: the service account key (JSON) with domain-wide delegation')
    .option('--root-url <url>', 'People/Directory API root (default Google’s)')
    .option('--auth-url <url>', 'OAuth authorization endpoint (default Google’s)')
    .option('--token-url <url>', 'OAuth token endpoint (default Google’s)')
    .option('--no-browser', 'print the sign-in address instead of opening the browser')
    .action(async (options: GoogleOptions) => {
      if ((options.authUrl === undefined) !== (options.tokenUrl === undefined)) {
        throw new CliError('--auth-url and --token-url go together.');
      }
      const own = loadAppRegistrations(process.env, packageRoot()).google;
      const clientId = options.clientId ?? own?.clientId;
      const endpoints = Boolean(options.rootUrl || options.authUrl);
      // A Workspace domain signs in with its key, not a client id, unless endpoints need one.
      if (!clientId && (!options.workspaceAdmin || endpoints))
        throw new CliError(missingRegistration('Google'));
      // The registration this sign-in uses, as the app takes its own from config/app-registrations.json.
      const google: GoogleAppRegistration | undefined = clientId
        ? compact({
            ...(options.clientId ? {} : own),
            clientId,
            clientSecret: options.clientId ? await clientSecret(options, globals()) : own?.clientSecret,
            rootUrl: options.rootUrl ?? (options.clientId ? undefined : own?.rootUrl),
            oauth:
              options.authUrl && options.tokenUrl
                ? { authUrl: options.authUrl, tokenUrl: options.tokenUrl }
                : options.clientId
                  ? undefined
                  : own?.oauth,
          })
        : undefined;
      let keyJson: string | undefined;
      if (options.workspaceAdmin) {
        // As in the app's Workspace form, which has no such choice.
        if (options.otherContacts)
          throw new CliError('--other-contacts is for a personal Google account, not a Workspace domain.');
        if (!options.keyFile)
          throw new CliError('A Workspace domain needs --key-file with the service account key.');
        try {
          keyJson = await readFile(options.keyFile, 'utf8');
        } catch {
          throw new CliError(`${options.keyFile} is not a readable service-account key (JSON).`);
        }
      }
      await withSession(
        { ...globals(), browser: options.browser === false ? false : globals().browser },
        async (api) => {
          if (keyJson !== undefined) {
            // The Workspace form's channel (business edition): the key is sealed in the vault.
            const account = await api.call('accounts.connectWorkspace', {
              adminEmail: options.workspaceAdmin!,
              domain: options.domain,
              keyJson,
            });
            printOutcome({ account, outcome: 'added' });
            return;
          }
          // "Connect Google": signs in through the browser and adds (or signs in again) the account.
          printOutcome(
            await api.call('accounts.connect', { provider: 'google', otherContacts: options.otherContacts }),
          );
        },
        { appRegistrations: { google } },
      );
    });

  clientSecretOptions(
    add
      .command('microsoft')
      .description('a Microsoft 365 or Outlook.com account (sign-in in the browser), or a tenant (--tenant)')
      .option(
        '--client-id <id>',
        'your own app registration’s client id (default: the app’s own, when this build has one)',
      ),
    'the app’s client secret (--tenant only)',
  )
    .option('--tenant <id>', 'app-only access to a whole tenant (needs the app’s client secret)')
    .option('--authority <url>', 'sign-in authority (default https://login.microsoftonline.com/common)')
    .option('--graph-url <url>', 'Graph base URL (default https://graph.microsoft.com/v1.0)')
    .option(
      '--ca-file <pem>',
      'an extra certificate authority to trust for sign-in and Graph (corporate proxies)',
    )
    .option('--no-browser', 'print the sign-in address instead of opening the browser')
    .action(async (options: MicrosoftOptions) => {
      const own = loadAppRegistrations(process.env, packageRoot()).microsoft;
      const clientId = options.clientId ?? own?.clientId;
      if (!clientId) throw new CliError(missingRegistration('Microsoft'));
      // The registration this sign-in uses, as the app takes its own from config/app-registrations.json.
      const microsoft: MicrosoftAppRegistration = compact({
        ...(options.clientId ? {} : own),
        clientId,
        authority: options.authority,
        graphBaseUrl: options.graphUrl ?? (options.clientId ? undefined : own?.graphBaseUrl),
        extraCaPem: options.caFile
          ? await readFile(options.caFile, 'utf8')
          : options.clientId
            ? undefined
            : own?.extraCaPem,
      });
      const secret = await clientSecret(options, globals());
      if (options.tenant && !secret)
        throw new CliError(
          'A tenant needs the app’s client secret: --client-secret-file, --client-secret-stdin or CONTACTS_BACKUP_CLIENT_SECRET.',
        );
      await withSession(
        { ...globals(), browser: options.browser === false ? false : globals().browser },
        async (api) => {
          if (options.tenant) {
            // The tenant form's channel (business edition): the secret goes into the vault.
            const account = await api.call('accounts.connectTenant', {
              tenantId: options.tenant,
              clientId,
              clientSecret: secret!,
            });
            printOutcome({ account, outcome: 'added' });
            return;
          }
          // "Connect Microsoft 365 / Outlook.com": signs in through the browser.
          printOutcome(await api.call('accounts.connect', { provider: 'microsoft' }));
        },
        { appRegistrations: { microsoft } },
      );
    });

  add
    .command('pst')
    .description('an existing Outlook PST file, read-only, to back up and browse its contacts')
    .requiredOption('--file <path>', 'the .pst file')
    .option('--label <label>', 'a name for the account')
    .action((options: { file: string; label?: string }) =>
      withSession(globals(), async (api) => {
        const account = await api.call('accounts.addPst', { path: options.file, label: options.label });
        process.stdout.write(`Added account ${account.id} (${account.label}).\n`);
      }),
    );
}

/** What a build without the app's own registration tells the user to do instead. */
function missingRegistration(provider: 'Google' | 'Microsoft'): string {
  return provider === 'Google'
    ? 'This build has no Google OAuth client of its own. Pass --client-id (and the client secret with --client-secret-file or --client-secret-stdin) of a "Desktop app" OAuth client from your Google Cloud project (People API enabled).'
    : 'This build has no Microsoft app registration of its own. Pass --client-id of your Entra app registration (public client, redirect http://localhost, delegated Contacts.ReadWrite).';
}

/** Drops undefined keys, so the registration (and the account's stored settings) stay small. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

function printOutcome(result: ConnectResultView): void {
  const { account } = result;
  process.stdout.write(
    result.outcome === 'reconnected'
      ? `${account.label} is already account ${account.id}: signed in again; its history is kept.\n`
      : `Added account ${account.id} (${account.label}) with ${count(account.users.length, 'user')}.\n`,
  );
}

/** The first line of stdin (a secret piped in by a script). */
export async function readSecretLine(): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0]?.trim();
  return line || undefined;
}
