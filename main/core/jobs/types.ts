/**
 * The shape of a job as every reader sees it: the Task Manager window, the tray, the CLI's
 * `tasks --json` and notifications. Plain JSON, so it crosses IPC and is persisted as is.
 */
export type JobKind = 'backup' | 'restore' | 'export' | 'delete' | 'check';
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
export type JobOrigin = 'user' | 'schedule' | 'catch-up' | 'tray' | 'cli';

export const FINISHED_STATES: ReadonlySet<JobState> = new Set([
  'succeeded',
  'failed',
  'cancelled',
  'interrupted',
]);

export interface JobScope {
  readonly accountId?: string;
  readonly userId?: string;
  readonly folderIds?: readonly string[];
  readonly contactIds?: readonly string[];
  /** How many ids a long list had (the list itself is kept out of the record; see job-id-lists.ts). */
  readonly counts?: Readonly<Record<string, number>>;
}

export interface JobProgress {
  readonly phase: string;
  readonly done: number;
  readonly total?: number;
}

export interface JobError {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

export interface JobLogLine {
  readonly at: string;
  readonly text: string;
}

export interface JobRecord {
  readonly id: string;
  readonly kind: JobKind;
  readonly title: string;
  readonly scope: JobScope;
  readonly origin: JobOrigin;
  readonly urgent: boolean;
  state: JobState;
  progress: JobProgress;
  counts: Record<string, number>;
  log: JobLogLine[];
  error?: JobError;
  readonly createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** What the job needs to run again (resume after a crash, retry after a failure). */
  readonly params: unknown;
  /**
   * How the queue treats it, kept apart from `params` (the handler's input): jobs with one lock key
   * never run at once; a queued or running job with the same dedupe key is returned, not repeated.
   * Absent on records written before it existed (those kept the keys in `params`).
   */
  readonly queue?: { readonly lockKey: string; readonly dedupeKey?: string };
  /** A small JSON summary of the outcome (report of a restore, path of an export). */
  result?: unknown;
  /** Cancel was asked while the job ran; it stops at its next check (between contacts). */
  cancelling?: boolean;
}
