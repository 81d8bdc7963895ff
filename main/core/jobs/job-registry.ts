/**
 * The one task registry (style.md): every long action is a job here. It queues (urgent first), runs
 * at most one job per account user at a time, returns the existing job when the same request comes
 * twice, cancels through AbortSignal, persists jobs in the vault and pushes a throttled change stream.
 */
import type { Low } from 'lowdb';
import type { Clock } from '../ports';
import { newId } from '../history/history-store';
import {
  compactKey,
  joinIdLists,
  memoryIdListStore,
  splitIdLists,
  type IdListStore,
  type IdLists,
} from './job-id-lists';
import {
  FINISHED_STATES,
  type JobError,
  type JobKind,
  type JobOrigin,
  type JobRecord,
  type JobScope,
} from './types';

/** What a handler gets while it runs. */
export interface JobContext {
  readonly job: Readonly<JobRecord>;
  readonly signal: AbortSignal;
  progress(phase: string, done: number, total?: number): void;
  count(name: string, increment?: number): void;
  setCount(name: string, value: number): void;
  log(text: string): void;
}

export type JobHandler = (context: JobContext, params: unknown) => Promise<unknown>;

export interface EnqueueRequest {
  readonly kind: JobKind;
  readonly title: string;
  readonly scope: JobScope;
  readonly origin: JobOrigin;
  readonly params: unknown;
  readonly urgent?: boolean;
  /** Jobs with the same lock key never run at the same time (one per account user). */
  readonly lockKey: string;
  /** The same key while a job is queued or running returns that job instead of a new one. */
  readonly dedupeKey?: string;
}

export interface JobsFile {
  version: 1;
  jobs: JobRecord[];
}

/** Keep this many finished jobs; older ones drop off the list. */
export const KEEP_FINISHED = 200;
const LOG_LINES = 200;
const PUSH_INTERVAL_MS = 200;
const PERSIST_INTERVAL_MS = 1000;
/** Errors that a retry may fix. */
export class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

interface Internal {
  readonly record: JobRecord;
  readonly lockKey: string;
  readonly dedupeKey?: string;
  controller?: AbortController;
  /** The params as enqueued, long id lists included (in memory only; see job-id-lists.ts). */
  fullParams?: unknown;
  /** The side file with the id lists, while it is being written. */
  idsWritten?: Promise<void>;
  done?: Promise<JobRecord>;
  resolve?: (job: JobRecord) => void;
}

export class JobRegistry {
  private readonly handlers = new Map<JobKind, JobHandler>();
  private readonly jobs = new Map<string, Internal>();
  private readonly listeners = new Set<(jobs: JobRecord[]) => void>();
  private readonly running = new Set<string>();
  private pushTimer?: NodeJS.Timeout;
  private lastPush = 0;
  private persistTimer?: NodeJS.Timeout;
  private persisting: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly idLists: IdListStore;

  constructor(
    private readonly file: Low<JobsFile>,
    private readonly clock: Clock,
    private readonly options: {
      concurrency?: number;
      onCreated?: (job: JobRecord) => void;
      onFinished?: (job: JobRecord) => void;
      /** Side files for long id lists (the vault's, in the app). */
      idLists?: IdListStore;
    } = {},
  ) {
    this.idLists = options.idLists ?? memoryIdListStore();
    for (const record of file.data.jobs) {
      // A job that was queued or running when the app died did not finish: say so, offer resume.
      if (!FINISHED_STATES.has(record.state)) {
        record.state = 'interrupted';
        record.finishedAt ??= this.clock.now().toISOString();
        record.log.push({
          at: record.finishedAt,
          text: 'Interrupted: the app stopped while this job was active.',
        });
      }
      const internal: Internal = { record, lockKey: lockKeyOf(record) };
      this.slimLoaded(internal);
      this.jobs.set(record.id, internal);
    }
  }

  handle(kind: JobKind, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  list(): JobRecord[] {
    return [...this.jobs.values()].map((job) => structuredClone(job.record)).sort(byNewest);
  }

  get(id: string): JobRecord | undefined {
    const job = this.jobs.get(id);
    return job ? structuredClone(job.record) : undefined;
  }

  /** Adds a job (or returns the same queued/running one) and starts it when its turn comes. */
  enqueue(request: EnqueueRequest): { job: JobRecord; created: boolean } {
    if (request.dedupeKey) {
      for (const job of this.jobs.values()) {
        if (job.dedupeKey === request.dedupeKey && !FINISHED_STATES.has(job.record.state)) {
          return { job: structuredClone(job.record), created: false };
        }
      }
    }
    return this.add(request, splitIdLists(request.params).lists);
  }

  private add(
    request: EnqueueRequest,
    lists: IdLists | Promise<IdLists | undefined>,
  ): { job: JobRecord; created: boolean } {
    const now = this.clock.now().toISOString();
    const dedupeKey = compactKey(request.dedupeKey);
    const { slim, counts } = splitIdLists(request.params);
    const scope = splitIdLists(request.scope);
    const record: JobRecord = {
      id: newId('j'),
      kind: request.kind,
      title: request.title,
      scope: Object.keys(scope.counts).length ? { ...scope.slim, counts: scope.counts } : request.scope,
      origin: request.origin,
      urgent: request.urgent ?? false,
      state: 'queued',
      progress: { phase: 'Queued', done: 0 },
      counts: {},
      log: [{ at: now, text: `Created by ${request.origin}.` }],
      createdAt: now,
      params: {
        ...(slim as object),
        ...(Object.keys(counts).length || lists instanceof Promise
          ? {
              idLists: Object.keys(counts).length
                ? counts
                : (request.params as { idLists?: unknown }).idLists,
            }
          : {}),
      },
      queue: { lockKey: request.lockKey, ...(dedupeKey ? { dedupeKey } : {}) },
    };
    const internal: Internal = { record, lockKey: request.lockKey, dedupeKey };
    if (lists instanceof Promise) {
      // A retry: the ids come from the earlier job's side file, copied to this job's own.
      internal.idsWritten = lists.then((found) => {
        if (!found) throw idsLost();
        internal.fullParams = joinIdLists(record.params, found);
        return this.idLists.write(record.id, found);
      });
    } else if (Object.keys(lists).length) {
      internal.fullParams = request.params;
      internal.idsWritten = this.idLists.write(record.id, lists);
    }
    internal.idsWritten?.catch(() => undefined);
    internal.done = new Promise((resolve) => (internal.resolve = resolve));
    this.jobs.set(record.id, internal);
    this.trim();
    this.changed(true);
    this.options.onCreated?.(structuredClone(record));
    queueMicrotask(() => this.pump());
    return { job: structuredClone(record), created: true };
  }

  /** Resolves when the job reaches a final state. */
  async wait(id: string): Promise<JobRecord> {
    const job = this.jobs.get(id);
    if (!job) throw new JobFailure('not-found', 'No such job.', false);
    if (FINISHED_STATES.has(job.record.state) || !job.done) return structuredClone(job.record);
    return job.done;
  }

  cancel(id: string): JobRecord {
    const job = this.jobs.get(id);
    if (!job) throw new JobFailure('not-found', 'No such job.', false);
    if (job.record.state === 'queued') {
      this.finish(job, 'cancelled');
    } else if (job.record.state === 'running' && !job.record.cancelling) {
      // Shown as "Cancelling..." until the handler reaches its next check and the job ends.
      job.record.cancelling = true;
      job.record.log.push({ at: this.clock.now().toISOString(), text: 'Cancel requested.' });
      this.changed(true);
      job.controller?.abort(new JobFailure('cancelled', 'Cancelled by the user.', false));
    }
    return structuredClone(job.record);
  }

  /** Runs an interrupted, failed or cancelled job again with the same parameters. */
  retry(id: string, origin: JobOrigin = 'user'): { job: JobRecord; created: boolean } {
    const job = this.jobs.get(id);
    if (!job) throw new JobFailure('not-found', 'No such job.', false);
    if (!FINISHED_STATES.has(job.record.state) || job.record.state === 'succeeded') {
      throw new JobFailure(
        'invalid-state',
        'Only an interrupted, failed or cancelled job can be resumed.',
        false,
      );
    }
    const params = job.record.params as { dedupeKey?: string; idLists?: unknown };
    const retried: EnqueueRequest = {
      kind: job.record.kind,
      title: job.record.title,
      scope: job.record.scope,
      origin,
      urgent: true,
      params: withoutQueueKeys(job.fullParams ?? job.record.params),
      lockKey: job.lockKey,
      dedupeKey: job.record.queue?.dedupeKey ?? params.dedupeKey,
    };
    if (retried.dedupeKey) {
      for (const other of this.jobs.values()) {
        if (other.dedupeKey === retried.dedupeKey && !FINISHED_STATES.has(other.record.state)) {
          return { job: structuredClone(other.record), created: false };
        }
      }
    }
    if (job.fullParams || !params.idLists) return this.add(retried, splitIdLists(retried.params).lists);
    return this.add(retried, this.idLists.read(job.record.id));
  }

  /** Whether anything is queued or running for this lock key (the scheduler skips busy users). */
  isBusy(lockKey: string): boolean {
    for (const job of this.jobs.values()) {
      if (job.lockKey === lockKey && !FINISHED_STATES.has(job.record.state)) return true;
    }
    return false;
  }

  /** Receives the whole list at most every 200 ms, and always the final state. */
  subscribe(listener: (jobs: JobRecord[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Cancels running jobs and writes the list (app quit, profile lock). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.jobs.values()) {
      if (job.record.state === 'queued') this.finish(job, 'cancelled');
      job.controller?.abort(new JobFailure('cancelled', 'The profile was locked or the app quit.', false));
    }
    await Promise.all(
      [...this.jobs.values()].filter((job) => this.running.has(job.record.id)).map((job) => job.done),
    );
    clearTimeout(this.pushTimer);
    clearTimeout(this.persistTimer);
    await this.persistNow();
  }

  /** Resolves when nothing is queued or running (tests and the CLI). */
  async idle(): Promise<void> {
    for (;;) {
      const active = [...this.jobs.values()].filter((job) => !FINISHED_STATES.has(job.record.state));
      if (!active.length) return;
      await Promise.all(active.map((job) => job.done));
    }
  }

  private pump(): void {
    if (this.stopped) return;
    const limit = this.options.concurrency ?? 2;
    const queued = [...this.jobs.values()]
      .filter((job) => job.record.state === 'queued')
      .sort(
        (a, b) =>
          Number(b.record.urgent) - Number(a.record.urgent) ||
          a.record.createdAt.localeCompare(b.record.createdAt),
      );
    const busy = new Set(
      [...this.jobs.values()].filter((job) => job.record.state === 'running').map((job) => job.lockKey),
    );
    for (const job of queued) {
      if (this.running.size >= limit) return;
      if (busy.has(job.lockKey)) continue;
      busy.add(job.lockKey);
      void this.run(job);
    }
  }

  private async run(job: Internal): Promise<void> {
    const handler = this.handlers.get(job.record.kind);
    const record = job.record;
    this.running.add(record.id);
    job.controller = new AbortController();
    record.state = 'running';
    record.startedAt = this.clock.now().toISOString();
    record.progress = { phase: 'Starting', done: 0 };
    this.changed(true);
    const context: JobContext = {
      job: record,
      signal: job.controller.signal,
      progress: (phase, done, total) => {
        record.progress = { phase, done, total };
        this.changed(false);
      },
      count: (name, increment = 1) => {
        record.counts[name] = (record.counts[name] ?? 0) + increment;
        this.changed(false);
      },
      setCount: (name, value) => {
        record.counts[name] = value;
        this.changed(false);
      },
      log: (text) => {
        record.log.push({ at: this.clock.now().toISOString(), text });
        if (record.log.length > LOG_LINES) record.log.splice(1, record.log.length - LOG_LINES);
        this.changed(false);
      },
    };
    try {
      if (!handler) throw new JobFailure('no-handler', `No handler for ${record.kind} jobs.`, false);
      const params = await this.paramsOf(job);
      record.result = await handler(context, params);
      if (job.controller.signal.aborted) throw job.controller.signal.reason;
      this.finish(job, 'succeeded');
    } catch (error) {
      if (job.controller.signal.aborted) {
        // Cancelled is an outcome the person asked for, not an error.
        record.log.push({ at: this.clock.now().toISOString(), text: 'Cancelled.' });
        this.finish(job, 'cancelled');
      } else {
        record.error = toJobError(error);
        context.log(`Failed: ${record.error.message}`);
        this.finish(job, 'failed');
      }
    } finally {
      this.running.delete(record.id);
      job.controller = undefined;
      this.pump();
    }
  }

  /**
   * A record written before id lists left the records (up to 200,000 ids inline): a succeeded job
   * drops them, any other moves them to its side file, so the next write of the list is small.
   */
  private slimLoaded(internal: Internal): void {
    const record = internal.record as { -readonly [K in keyof JobRecord]: JobRecord[K] };
    const { slim, lists, counts } = splitIdLists(record.params);
    const scope = splitIdLists(record.scope);
    if (Object.keys(scope.counts).length) record.scope = { ...scope.slim, counts: scope.counts };
    if (!Object.keys(counts).length) return;
    record.params = { ...(slim as object), idLists: counts };
    if (record.state === 'succeeded') return;
    internal.fullParams = joinIdLists(record.params, lists);
    internal.idsWritten = this.idLists.write(record.id, lists);
    internal.idsWritten.catch(() => undefined);
  }

  /** The params with their id lists: from memory, else from the job's side file. */
  private async paramsOf(job: Internal): Promise<unknown> {
    await job.idsWritten?.catch((error: unknown) => {
      if (error instanceof JobFailure) throw error;
      throw new JobFailure(
        'ids-not-saved',
        `The list of contacts of this job could not be saved (${(error as Error)?.message ?? String(error)}).`,
        true,
      );
    });
    if (job.fullParams) return job.fullParams;
    const params = job.record.params as { idLists?: unknown };
    if (!params?.idLists) return job.record.params;
    const lists = await this.idLists.read(job.record.id).catch(() => undefined);
    if (!lists) throw idsLost();
    return joinIdLists(params, lists);
  }

  private finish(job: Internal, state: JobRecord['state']): void {
    job.record.state = state;
    delete job.record.cancelling;
    // A succeeded job is never run again: its ids are no longer needed, on disk or in memory.
    if (state === 'succeeded' && (job.fullParams || (job.record.params as { idLists?: unknown })?.idLists)) {
      job.fullParams = undefined;
      void this.idLists.remove(job.record.id).catch(() => undefined);
    }
    job.record.finishedAt = this.clock.now().toISOString();
    if (state === 'succeeded') job.record.progress = { ...job.record.progress, phase: 'Done' };
    this.changed(true);
    this.options.onFinished?.(structuredClone(job.record));
    job.resolve?.(structuredClone(job.record));
  }

  private trim(): void {
    const finished = [...this.jobs.values()].filter((job) => FINISHED_STATES.has(job.record.state));
    if (finished.length <= KEEP_FINISHED) return;
    finished.sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt));
    for (const job of finished.slice(0, finished.length - KEEP_FINISHED)) {
      this.jobs.delete(job.record.id);
      void this.idLists.remove(job.record.id).catch(() => undefined);
    }
  }

  /** Removes side files of jobs no longer listed (trimmed while the app was not running, say). */
  async sweepIdLists(): Promise<void> {
    for (const id of await this.idLists.list().catch(() => [] as string[])) {
      if (!this.jobs.has(id)) await this.idLists.remove(id).catch(() => undefined);
    }
  }

  /** Schedules a push and a persist; state changes push at once, progress at most every 200 ms. */
  private changed(important: boolean): void {
    const elapsed = Date.now() - this.lastPush;
    if (important || elapsed >= PUSH_INTERVAL_MS) {
      clearTimeout(this.pushTimer);
      this.pushTimer = undefined;
      this.push();
    } else if (!this.pushTimer) {
      this.pushTimer = setTimeout(() => {
        this.pushTimer = undefined;
        this.push();
      }, PUSH_INTERVAL_MS - elapsed);
    }
    if (important) void this.persistNow();
    else if (!this.persistTimer) {
      this.persistTimer = setTimeout(() => {
        this.persistTimer = undefined;
        void this.persistNow();
      }, PERSIST_INTERVAL_MS);
    }
  }

  private push(): void {
    this.lastPush = Date.now();
    if (!this.listeners.size) return;
    const snapshot = this.list();
    for (const listener of this.listeners) listener(snapshot);
  }

  /**
   * Writes the job list, after the id side files its records name (their deflate runs off the
   * thread, so a side file may still be on its way); writes are chained so two never interleave.
   */
  persistNow(): Promise<void> {
    this.persisting = this.persisting.then(async () => {
      await Promise.all([...this.jobs.values()].map((job) => job.idsWritten?.catch(() => undefined)));
      this.file.data.jobs = [...this.jobs.values()].map((job) => job.record);
      await this.file.write().catch(() => undefined);
    });
    return this.persisting;
  }
}

function idsLost(): JobFailure {
  return new JobFailure(
    'ids-lost',
    'The list of contacts this job was given is no longer available; select them and start it again.',
    false,
  );
}

function lockKeyOf(record: JobRecord): string {
  return record.queue?.lockKey ?? (record.params as { lockKey?: string } | undefined)?.lockKey ?? record.id;
}

/** The params of a record written before `queue` existed, without the queue keys it kept there. */
function withoutQueueKeys(params: unknown): unknown {
  if (!params || typeof params !== 'object') return params;
  const { lockKey: _lockKey, dedupeKey: _dedupeKey, ...rest } = params as Record<string, unknown>;
  return rest;
}

function byNewest(a: JobRecord, b: JobRecord): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}

/** Expected errors keep their code and message; anything else is a bug, shown generically. */
export function toJobError(error: unknown): JobError {
  if (error instanceof JobFailure)
    return { code: error.code, message: error.message, retryable: error.retryable };
  const typed = error as { name?: string; code?: string; message?: string; retryable?: boolean };
  if (typed?.name === 'VaultError' || typed?.name === 'ProviderError') {
    return {
      code: typed.code ?? 'error',
      message: typed.message ?? 'Failed.',
      retryable: typed.retryable ?? true,
    };
  }
  return {
    code: 'internal',
    message: `Unexpected error: ${typed?.message ?? String(error)}`,
    retryable: true,
  };
}
