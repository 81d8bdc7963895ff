/**
 * Waits for jobs the CLI started, printing their progress (a bar on a terminal, lines otherwise),
 * and fails with one line when any did not succeed. Progress comes from the `tasks.changed` event
 * the app pushes to its windows; `tasks.list` answers for jobs that finished before it was heard.
 */
import { FINISHED_STATES } from '../core/jobs/types';
import type { ResponseOf } from '../core/contract/channels';
import type { CliApi } from './cli-context';
import { createProgressPrinter } from './progress';
import { CliError } from './cli-error';
import { count } from '../core/plural';

/** A job as the API answers it (`backup.run`, `restore.start`, `tasks.list`, ...). */
export type JobView = ResponseOf<'tasks.list'>[number];

/** Resolves with the jobs (in the order given) once every one has finished; `onChange` sees each list. */
export async function jobsFinished(
  api: CliApi,
  ids: readonly string[],
  onChange: (jobs: readonly JobView[]) => void = () => undefined,
): Promise<JobView[]> {
  return new Promise<JobView[]>((resolve, reject) => {
    let settled = false;
    const consider = (jobs: readonly JobView[]): void => {
      if (settled) return;
      onChange(jobs);
      const byId = new Map(jobs.map((job) => [job.id, job]));
      const found = ids.map((id) => byId.get(id));
      if (found.every((job) => job && FINISHED_STATES.has(job.state))) {
        settled = true;
        unsubscribe();
        resolve(found as JobView[]);
      }
    };
    const unsubscribe = api.on('tasks.changed', consider);
    api.call('tasks.list', {}).then(consider, (error: unknown) => {
      settled = true;
      unsubscribe();
      reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
}

export async function waitForJobs(api: CliApi, jobs: readonly JobView[]): Promise<JobView[]> {
  const printer = createProgressPrinter();
  printer.watch(jobs.map((job) => job.id));
  try {
    return await jobsFinished(
      api,
      jobs.map((job) => job.id),
      (list) => printer.update(list),
    );
  } finally {
    printer.end();
  }
}

export function failIfNotSucceeded(jobs: readonly JobView[]): void {
  const failed = jobs.filter((job) => job.state !== 'succeeded');
  if (failed.length === 1)
    throw new CliError(`${failed[0].title}: ${failed[0].error?.message ?? failed[0].state}`);
  if (failed.length) throw new CliError(`${count(failed.length, 'job')} did not succeed.`);
}
