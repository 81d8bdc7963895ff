/**
 * What `profile reset-password` reads: the recovery key and the new password, from standard input
 * (`--recovery-key-stdin`: line 1 the key, line 2 the new password) or hidden prompts on a terminal.
 * Never from a command-line argument, where `ps` and the shell history would show them.
 */
import { CliError } from './cli-error';
import { promptHidden, promptNewPassword, readStdinLines } from './password';

export async function readRecoveryInput(
  fromStdin: boolean,
): Promise<{ recoveryKey: string; newPassword: string }> {
  if (fromStdin) {
    const [recoveryKey = '', newPassword = ''] = await readStdinLines();
    if (!recoveryKey.trim()) throw new CliError('No recovery key on standard input (line 1).');
    if (!newPassword) throw new CliError('No new backup password on standard input (line 2).');
    return { recoveryKey, newPassword };
  }
  if (!process.stdin.isTTY) {
    throw new CliError(
      'Give the recovery key and the new password on standard input with --recovery-key-stdin (line 1 the key, line 2 the password), or run in a terminal.',
    );
  }
  const recoveryKey = await promptHidden('Recovery key: ');
  return { recoveryKey, newPassword: await promptNewPassword() };
}
