/**
 * Runs the real `contacts-backup` bin in a child process, as a user or a script would: bin/ runs the
 * built CLI (out/cli), which vitest's globalSetup (build-once.ts) builds before the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Contact } from '../../main/core/contacts/model';
import type { JobRecord } from '../../main/core/jobs/types';
import type { RestoreReport } from '../../main/core/restore/restore-engine';

/** One item of `contacts list --json`. */
export interface ListedContact {
  id: string;
  sourceId: string;
  deleted: boolean;
  versions: number;
  contact: Contact;
}

/** What `restore --json` prints: the finished job with its report. */
export type RestoreJob = JobRecord & { result: RestoreReport };

export const BIN = fileURLToPath(new URL('../../bin/contacts-backup.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function startCli(home: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [BIN, '--home', home, ...args], {
    env: { ...process.env, CONTACTS_BACKUP_PASSWORD: 'test password 1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export function runCli(
  home: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = startCli(home, args, env);
    let stdout = '';
    let stderr = '';
    // Decoded as UTF-8 by the stream, so a character split across two chunks stays whole.
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin!.end(input ?? '');
  });
}

export async function runCliJson<T>(
  home: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<T> {
  const result = await runCli(home, [...args, '--json'], env);
  if (result.code !== 0)
    throw new Error(`contacts-backup ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
