/**
 * Every job (backup, restore, export, delete, check), newest first. `tasks.changed` pushes may carry
 * the whole list or only the jobs that changed, so they are merged by id rather than replacing all.
 */
import { call } from '../lib/api-client';
import { strings } from '../strings';
import type { ApiError, Job, RequestOf, Result } from '../lib/api-types';
import type { SliceCreator } from './store-types';

export interface TasksSlice {
  jobs: Job[];
  tasksLoaded: boolean;
  tasksError: ApiError | undefined;
  loadTasks(): Promise<void>;
  upsertJobs(jobs: readonly Job[]): void;
  cancelTask(id: string): Promise<Result<Job>>;
  resumeTask(id: string): Promise<Result<Job>>;
  /** Starts a job-creating action and shows the "… job created" toast (S7–S10). */
  startJob<C extends JobChannel>(channel: C, request: RequestOf<C>): Promise<Result<Job>>;
}

/** The channels whose answer is the job they created. */
export type JobChannel = 'backup.run' | 'restore.start' | 'export.start' | 'delete.start' | 'check.start';

/** Newest first; ties by id so the order is stable across pushes. */
export function compareJobs(a: Job, b: Job): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}

/** Merges changed jobs into the list by id. */
export function mergeJobs(current: readonly Job[], changed: readonly Job[]): Job[] {
  if (changed.length === 0) return current as Job[];
  const byId = new Map(current.map((job) => [job.id, job]));
  for (const job of changed) byId.set(job.id, job);
  return [...byId.values()].sort(compareJobs);
}

export const createTasksSlice: SliceCreator<TasksSlice> = (set, get) => ({
  jobs: [],
  tasksLoaded: false,
  tasksError: undefined,

  async loadTasks() {
    const result = await call('tasks.list', {});
    if (result.ok) set({ jobs: mergeJobs([], result.value), tasksLoaded: true, tasksError: undefined });
    else set({ tasksError: result.error });
  },

  upsertJobs(jobs) {
    set((state) => ({ jobs: mergeJobs(state.jobs, jobs) }));
  },

  async cancelTask(id) {
    const result = await call('tasks.cancel', { id });
    if (result.ok) get().upsertJobs([result.value]);
    return result;
  },

  async startJob(channel, request) {
    const result = (await call(channel, request)) as Result<Job>;
    if (result.ok) {
      get().upsertJobs([result.value]);
      // The person may have turned "job created" notifications off in Settings.
      if (!get().settings) await get().loadSettings();
      if (get().settings?.notifications.jobCreated !== false) {
        get().pushToast({
          title: strings.jobCreated[result.value.kind],
          body: strings.jobCreated.body(result.value.title),
          kind: 'info',
          jobId: result.value.id,
        });
      }
    }
    return result;
  },

  async resumeTask(id) {
    const result = await call('tasks.resume', { id });
    if (result.ok) get().upsertJobs([result.value]);
    return result;
  },
});
