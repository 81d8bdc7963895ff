/**
 * `contacts-backup`: the command line over the same core as the desktop app, for scripts, servers
 * and headless machines. Exit codes: 0 success, 1 a failure with a one-line reason, 2 usage,
 * 3 wrong password, 4 done with warnings (an export missing a photo), 70 an internal error.
 */
import { Command, CommanderError } from 'commander';
import { describeFailure, type GlobalOptions } from './cli-context';
import { registerProfileCommands } from './commands/profile-commands';
import { registerAccountCommands } from './commands/account-commands';
import { registerBackupCommands } from './commands/backup-commands';
import { registerContactCommands } from './commands/contact-commands';
import { registerServeCommand } from './commands/serve-command';
import { registerRestoreCommands } from './commands/restore-commands';
import { registerLicenceCommands } from './commands/licence-commands';
import { registerMaintenanceCommands } from './commands/maintenance-commands';
import { registerScheduleCommands } from './commands/schedule-commands';
import { registerDiagnosticsCommand } from './commands/diagnostics-command';
import { readPackageVersion } from '../core/app';
import { packageRoot } from './package-root';
import { openedCliLog } from './cli-log';
import { takeSecretsFromEnvironment } from './secret-environment';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('contacts-backup')
    .description('Private, encrypted, versioned backup of your address books.')
    .option('--home <dir>', 'data folder (default: CONTACTS_BACKUP_HOME or the app data folder)')
    .option('--profile <name>', 'profile to use when there are several (or CONTACTS_BACKUP_PROFILE)')
    .option('--password-stdin', 'read the backup password from the first line of standard input')
    .option('--no-browser', 'print sign-in addresses instead of opening the browser')
    .version(readPackageVersion(packageRoot()), '-V, --version', 'print the version')
    .showHelpAfterError()
    .exitOverride();
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  registerProfileCommands(program, globals);
  registerAccountCommands(program, globals);
  registerBackupCommands(program, globals);
  registerContactCommands(program, globals);
  registerRestoreCommands(program, globals);
  registerLicenceCommands(program, globals);
  registerMaintenanceCommands(program, globals);
  registerScheduleCommands(program, globals);
  registerServeCommand(program, globals);
  registerDiagnosticsCommand(program, globals);
  return program;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  // Before anything runs: secrets leave process.env, so no child process or library can see them.
  takeSecretsFromEnvironment();
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    const { message, exitCode } = describeFailure(error);
    if (exitCode === 70) openedCliLog()?.log('error', 'Unexpected error', { error });
    process.stderr.write(`contacts-backup: ${message}\n`);
    return exitCode;
  }
}

// A crash is written to the log (redacted) before the process ends, so `diagnostics` can show it.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    openedCliLog()?.log('fatal', event, { error });
    process.stderr.write(
      `contacts-backup: Unexpected error: ${(error as Error)?.message ?? String(error)}\n`,
    );
    process.exit(70);
  });
}

// `contacts-backup contacts list | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
// No top-level await: the bundle is CommonJS, so bin/ can start it from V8's code cache.
void runCli(process.argv.slice(2)).then((code) =>
  // Exit only once standard output is flushed: a large `--json` listing into a pipe would be cut off.
  process.stdout.write('', () => process.exit(code)),
);
