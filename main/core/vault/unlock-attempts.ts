/**
 * Wrong-password attempts, counted per profile on disk so that every process (the app, the web host,
 * each CLI command) sees the same count: a script that starts a new process per guess is slowed as
 * much as someone typing. After a few free tries each further attempt waits twice as long as the one
 * before, up to a cap; a right password resets the count.
 *
 * The file is plain JSON (nothing is unlocked yet when it is read); it holds no secret. Removing it
 * resets the count, which only a person with write access to the profile folder can do, and such a
 * person can copy `vault.json` and guess offline anyway: scrypt is the real defence, this one stops
 * guessing through the app.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './sealed-file';
import { VaultError } from './errors';

const FILE = 'unlock-attempts.json';
/** Wrong passwords allowed before any wait. */
export const FREE_ATTEMPTS = 3;
/** The longest wait between two attempts. */
export const MAX_DELAY_MS = 5 * 60_000;

interface AttemptsFile {
  readonly failures: number;
  /** ISO time of the last wrong password. */
  readonly lastFailureAt: string;
}

/** How long to wait after `failures` wrong passwords before the next attempt may run. */
export function delayAfter(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - FREE_ATTEMPTS));
}

async function read(folder: string): Promise<AttemptsFile | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(folder, FILE), 'utf8')) as Partial<AttemptsFile>;
    const failures = Number(parsed.failures);
    const at = Date.parse(String(parsed.lastFailureAt));
    if (!Number.isInteger(failures) || failures < 0 || Number.isNaN(at)) return undefined;
    return { failures, lastFailureAt: new Date(at).toISOString() };
  } catch {
    return undefined;
  }
}

/**
 * Waits until the next attempt may run. A wait longer than `maxWaitMs` is refused at once with a
 * sentence saying when to try again, so no window or command hangs for minutes.
 */
export async function awaitAttemptSlot(
  folder: string,
  options: { now?: () => number; maxWaitMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<void> {
  const record = await read(folder);
  if (!record) return;
  const now = options.now ?? Date.now;
  const readyAt = Date.parse(record.lastFailureAt) + delayAfter(record.failures);
  const wait = readyAt - now();
  if (wait <= 0) return;
  if (wait > (options.maxWaitMs ?? 10_000)) {
    const seconds = Math.ceil(wait / 1000);
    throw new VaultError(
      'too-many-attempts',
      `Too many wrong passwords for this profile (${record.failures}). Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    );
  }
  await (options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))))(wait);
}

/** Counts a wrong password (best effort: a read-only folder must not hide the real error). */
export async function recordFailure(folder: string, now: () => number = Date.now): Promise<number> {
  const failures = ((await read(folder))?.failures ?? 0) + 1;
  const record: AttemptsFile = { failures, lastFailureAt: new Date(now()).toISOString() };
  await writeFileAtomic(join(folder, FILE), Buffer.from(JSON.stringify(record))).catch(() => undefined);
  return failures;
}

/** A right password: the count starts again. */
export async function recordSuccess(folder: string): Promise<void> {
  if (!(await read(folder))) return;
  const record: AttemptsFile = { failures: 0, lastFailureAt: new Date(0).toISOString() };
  await writeFileAtomic(join(folder, FILE), Buffer.from(JSON.stringify(record))).catch(() => undefined);
}

/** The wrong passwords counted so far (tests and `check`). */
export async function failuresSoFar(folder: string): Promise<number> {
  return (await read(folder))?.failures ?? 0;
}
