/**
 * What `profile reset-password` reads: the recovery key and the new password, from standard input
 * (`--recovery-key-stdin`: line 1 the key, line 2 the new password) or hidden prompts on a terminal.
 * Never from a command-line argument, where `ps` and the shell history would show them.
 */
import { createInterface } from 'node:readline';
import { CliError } from './cli-error';

function stdinLines(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => (text += chunk));
    process.stdin.on('end', () => resolve(text.split(/\r?\n/)));
    process.stdin.on('error', reject);
  });
}

function prompt(question: string, hidden: boolean): Promise<string> {
  return new Promise((resolve) => {
    const reader = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    if (hidden) {
      const typed = reader as unknown as { _writeToOutput: (text: string) => void };
      const original = typed._writeToOutput.bind(reader);
      typed._writeToOutput = (text) => {
        if (text.startsWith(question)) original(question);
      };
    }
    reader.question(question, (answer) => {
      reader.close();
      if (hidden) process.stderr.write('\n');
      resolve(answer);
    });
  });
}

export async function readRecoveryInput(
  fromStdin: boolean,
): Promise<{ recoveryKey: string; newPassword: string }> {
  if (fromStdin) {
    const [recoveryKey = '', newPassword = ''] = await stdinLines();
    if (!recoveryKey.trim()) throw new CliError('No recovery key on standard input (line 1).');
    if (!newPassword) throw new CliError('No new backup password on standard input (line 2).');
    return { recoveryKey, newPassword };
  }
  if (!process.stdin.isTTY) {
    throw new CliError(
      'Give the recovery key and the new password on standard input with --recovery-key-stdin (line 1 the key, line 2 the password), or run in a terminal.',
    );
  }
  const recoveryKey = await prompt('Recovery key: ', true);
  const newPassword = await prompt('New backup password: ', true);
  if ((await prompt('Repeat the new password: ', true)) !== newPassword) {
    throw new CliError('The two passwords differ.');
  }
  return { recoveryKey, newPassword };
}
