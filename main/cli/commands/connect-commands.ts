/**
 * `account add google|microsoft|pst`: connect a real account (sign-in in the system browser, or a
 * Workspace/tenant credential) or an old Outlook archive. Every endpoint can be set per account,
 * for national clouds and for the test fakes.
 */
import { Option, type Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { withSession, type GlobalOptions } from '../cli-context';
import {
  addPstAccount,
  connectGoogleAccount,
  connectMicrosoftAccount,
  type ConnectOutcome,
} from '../../core/session/account-service';
import { loadAppRegistrations } from '../../core/accounts/app-registrations';
import { packageRoot } from '../package-root';
import type { GoogleAccountSettings, GoogleServiceAccountKey } from '../../core/providers/google';
import type { MicrosoftAccountSettings } from '../../core/providers/microsoft';
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
    .action((options: GoogleOptions) =>
      withSession(
        { ...globals(), browser: options.browser === false ? false : globals().browser },
        async (session) => {
          if ((options.authUrl === undefined) !== (options.tokenUrl === undefined)) {
            throw new CliError('--auth-url and --token-url go together.');
          }
          const own = loadAppRegistrations(process.env, packageRoot()).google;
          const clientId = options.clientId ?? own?.clientId;
          if (!clientId) throw new CliError(missingRegistration('Google'));
          const settings: GoogleAccountSettings = {
            clientId,
            clientSecret: options.clientId ? await clientSecret(options, globals()) : own?.clientSecret,
            rootUrl: options.rootUrl,
            oauth:
              options.authUrl && options.tokenUrl
                ? { authUrl: options.authUrl, tokenUrl: options.tokenUrl }
                : undefined,
            otherContacts: options.otherContacts,
            mode: options.workspaceAdmin ? 'workspace' : 'personal',
            workspace: options.workspaceAdmin
              ? { adminEmail: options.workspaceAdmin, domain: options.domain }
              : undefined,
          };
          let key: GoogleServiceAccountKey | undefined;
          if (options.workspaceAdmin) {
            if (!options.keyFile)
              throw new CliError('A Workspace domain needs --key-file with the service account key.');
            try {
              key = JSON.parse(await readFile(options.keyFile, 'utf8')) as GoogleServiceAccountKey;
            } catch {
              throw new CliError(`${options.keyFile} is not a readable service-account key (JSON).`);
            }
            if (!key.client_email || !key.private_key)
              throw new CliError(`${options.keyFile} is not a service-account key.`);
          }
          printOutcome(await connectGoogleAccount(session, settings, key));
        },
      ),
    );

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
    .action((options: MicrosoftOptions) =>
      withSession(
        { ...globals(), browser: options.browser === false ? false : globals().browser },
        async (session) => {
          const clientId =
            options.clientId ?? loadAppRegistrations(process.env, packageRoot()).microsoft?.clientId;
          if (!clientId) throw new CliError(missingRegistration('Microsoft'));
          const settings: MicrosoftAccountSettings = {
            clientId,
            mode: options.tenant ? 'tenant' : 'personal',
            tenant: options.tenant ? { tenantId: options.tenant } : undefined,
            authority: options.authority,
            graphBaseUrl: options.graphUrl,
            extraCaPem: options.caFile ? await readFile(options.caFile, 'utf8') : undefined,
          };
          const secret = await clientSecret(options, globals());
          if (options.tenant && !secret)
            throw new CliError(
              'A tenant needs the app’s client secret: --client-secret-file, --client-secret-stdin or CONTACTS_BACKUP_CLIENT_SECRET.',
            );
          printOutcome(await connectMicrosoftAccount(session, settings, secret));
        },
      ),
    );

  add
    .command('pst')
    .description('an existing Outlook PST file, read-only, to back up and browse its contacts')
    .requiredOption('--file <path>', 'the .pst file')
    .option('--label <label>', 'a name for the account')
    .action((options: { file: string; label?: string }) =>
      withSession(globals(), async (session) => {
        const account = await addPstAccount(session, options.file, options.label);
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

function printOutcome(result: ConnectOutcome): void {
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
