/**
 * Where the CLI gets the backup password: CONTACTS_BACKUP_PASSWORD, --password-stdin, or a hidden
 * prompt on a terminal. Never from a command-line flag (it would show in `ps` and shell history).
 */
import { createInterface } from 'node:readline';
import { CliError } from './cli-error';
import { environmentSecret } from './secret-environment';

let stdinLines: Promise<string[]> | undefined;

/** Standard input's lines, read once: line 1 the backup password, line 2 another secret. */
export function readStdinLines(): Promise<string[]> {
  stdinLines ??= new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => {
      text += chunk;
    });
    process.stdin.on('end', () => resolve(text.split(/\r?\n/)));
    process.stdin.on('error', reject);
  });
  return stdinLines;
}

function readStdinLine(): Promise<string> {
  return readStdinLines().then((lines) => lines[0] ?? '');
}

/**
 * The line of standard input after the backup password when that came on standard input too
 * (`--password-stdin`), otherwise the first line: where every other secret of a command is read
 * from (a ZIP password, a client secret, an app password, a new backup password).
 */
async function secretLine(source: PasswordSource, what: string): Promise<string> {
  const lines = await readStdinLines();
  const secret = lines[source.passwordStdin ? 1 : 0] ?? '';
  if (!secret) throw new CliError(`No ${what} on standard input.`);
  return secret;
}

/** The ZIP password of `export --zip-password-stdin`. */
export function readZipPassword(source: PasswordSource): Promise<string> {
  return secretLine(source, 'ZIP password');
}

/** A client secret from `--client-secret-stdin` (surrounding spaces dropped). */
export async function readClientSecretLine(source: PasswordSource): Promise<string> {
  const secret = (await secretLine(source, 'client secret')).trim();
  if (!secret) throw new CliError('No client secret on standard input.');
  return secret;
}

/** Asks on the terminal without echoing what is typed. */
export function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const output = process.stderr;
    const reader = createInterface({ input: process.stdin, output, terminal: true });
    const original = (reader as unknown as { _writeToOutput: (text: string) => void })._writeToOutput;
    (reader as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = (text: string) => {
      if (text.startsWith(question)) original.call(reader, question);
    };
    reader.question(question, (answer) => {
      reader.close();
      output.write('\n');
      resolve(answer);
    });
  });
}

export interface PasswordSource {
  readonly passwordStdin?: boolean;
}

/** The password, or a clear error when none can be had. */
export async function readPassword(
  source: PasswordSource,
  options: { confirm?: boolean } = {},
): Promise<string> {
  if (source.passwordStdin) {
    const password = await readStdinLine();
    if (!password) throw new CliError('No password on standard input.');
    return password;
  }
  // Taken out of process.env when the CLI started (secret-environment.ts).
  const fromEnvironment = environmentSecret('CONTACTS_BACKUP_PASSWORD');
  if (fromEnvironment) return fromEnvironment;
  if (process.stdin.isTTY) {
    const password = await promptHidden('Backup password: ');
    if (options.confirm && (await promptHidden('Repeat the password: ')) !== password) {
      throw new CliError('The two passwords differ.');
    }
    return password;
  }
  throw new CliError(
    'No backup password: set CONTACTS_BACKUP_PASSWORD, pass --password-stdin, or run in a terminal.',
  );
}

/** The environment variable the CLI takes account secrets from (client secrets, app passwords). */
export const SECRET_ENV = 'CONTACTS_BACKUP_CLIENT_SECRET';

/**
 * An account secret (a CardDAV app password): with `secretStdin`, the line of standard input after
 * the backup password (or the first line when the backup password comes from elsewhere); else
 * CONTACTS_BACKUP_CLIENT_SECRET; else a hidden prompt on a terminal. Never a command-line argument.
 */
export async function readAccountSecret(
  source: PasswordSource & { readonly secretStdin?: boolean },
  label: string,
): Promise<string> {
  if (source.secretStdin) return secretLine(source, label);
  // Taken out of the environment at start (secret-environment.ts); read from where it was kept.
  const fromEnv = environmentSecret(SECRET_ENV) ?? process.env[SECRET_ENV];
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) return promptHidden(`${label}: `);
  throw new CliError(`No ${label}: set ${SECRET_ENV}, pass --secret-stdin, or run in a terminal.`);
}

/**
 * The new password of `profile change-password`: with `newPasswordStdin`, the line of standard input
 * after the current password (or the first line when that comes from elsewhere); else two hidden
 * prompts on a terminal. Never an argument or the environment (it would outlive the change there).
 */
export async function readNewPassword(
  source: PasswordSource & { readonly newPasswordStdin?: boolean },
): Promise<string> {
  if (source.newPasswordStdin) return secretLine(source, 'new backup password');
  if (process.stdin.isTTY) return promptNewPassword();
  throw new CliError(
    'No new backup password: pass --new-password-stdin (the line after the current password), or run in a terminal.',
  );
}

/** A new backup password typed twice on the terminal. */
export async function promptNewPassword(): Promise<string> {
  const password = await promptHidden('New backup password: ');
  if ((await promptHidden('Repeat the new password: ')) !== password) {
    throw new CliError('The two passwords differ.');
  }
  return password;
}
