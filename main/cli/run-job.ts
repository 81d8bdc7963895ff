/**
 * Waits for jobs the CLI started, printing their progress (a bar on a terminal, lines otherwise),
 * and fails with one line when any did not succeed.
 */
import type { JobRecord } from '../core/jobs/types';
import type { ProfileSession } from '../core/session/profile-session';
import { createProgressPrinter } from './progress';
import { CliError } from './cli-error';
import { count } from '../core/plural';

export async function waitForJobs(session: ProfileSession, jobs: readonly JobRecord[]): Promise<JobRecord[]> {
  const printer = createProgressPrinter();
  printer.watch(jobs.map((job) => job.id));
  const unsubscribe = session.jobs.subscribe((list) => printer.update(list));
  const finished: JobRecord[] = [];
  try {
    for (const job of jobs) finished.push(await session.jobs.wait(job.id));
  } finally {
    unsubscribe();
    printer.end();
  }
  return finished;
}

export function failIfNotSucceeded(jobs: readonly JobRecord[]): void {
  const failed = jobs.filter((job) => job.state !== 'succeeded');
  if (failed.length === 1)
    throw new CliError(`${failed[0].title}: ${failed[0].error?.message ?? failed[0].state}`);
  if (failed.length) throw new CliError(`${count(failed.length, 'job')} did not succeed.`);
}
