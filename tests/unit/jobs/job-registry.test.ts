import { afterAll, describe, expect, it } from 'vitest';
import { Vault } from '../../../main/core/vault/vault';
import { JobFailure, JobRegistry, type JobsFile } from '../../../main/core/jobs/job-registry';
import type { JobRecord } from '../../../main/core/jobs/types';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

const clock = { now: () => new Date() };

async function registry(vault?: Vault) {
  const v = vault ?? (await Vault.create(await tempDir(), 'p', 'password 1234'));
  const file = await v.database<JobsFile>('tasks', { version: 1, jobs: [] });
  return { vault: v, jobs: new JobRegistry(file, clock) };
}

function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const request = (lockKey: string, extra: Partial<Parameters<JobRegistry['enqueue']>[0]> = {}) => ({
  kind: 'backup' as const,
  title: `Back up ${lockKey}`,
  scope: {},
  origin: 'user' as const,
  params: { lockKey },
  lockKey,
  ...extra,
});

describe('job registry', () => {
  it('runs one job per account user at a time and the next when it is free', async () => {
    const { jobs } = await registry();
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    jobs.handle('backup', async (context) => {
      started.push(context.job.id);
      const g = gate();
      gates.set(context.job.id, g);
      await g.promise;
      return null;
    });
    const a1 = jobs.enqueue(request('a')).job;
    const a2 = jobs.enqueue(request('a', { dedupeKey: 'other' })).job;
    const b1 = jobs.enqueue(request('b')).job;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toEqual([a1.id, b1.id]);
    expect(jobs.get(a2.id)!.state).toBe('queued');
    gates.get(a1.id)!.open();
    await jobs.wait(a1.id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toEqual([a1.id, b1.id, a2.id]);
    gates.get(b1.id)!.open();
    gates.get(a2.id)!.open();
    await jobs.idle();
    expect(jobs.list().map((job) => job.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('keeps the queue keys beside the params, and resumes a record that kept them in its params', async () => {
    const { vault, jobs } = await registry();
    const seen: unknown[] = [];
    jobs.handle('backup', async (_context, params) => {
      seen.push(params);
      return null;
    });
    const job = jobs.enqueue({ ...request('a', { dedupeKey: 'backup:a' }), params: { userKey: 'a' } }).job;
    expect(job.params).toEqual({ userKey: 'a' });
    expect(job.queue).toEqual({ lockKey: 'a', dedupeKey: 'backup:a' });
    await jobs.idle();
    expect(seen).toEqual([{ userKey: 'a' }]);

    // A job list from before: the keys in params, the job running when the app stopped.
    const file = await vault.database<JobsFile>('tasks', { version: 1, jobs: [] });
    const { queue: _queue, ...old } = structuredClone(jobs.get(job.id)!);
    file.data.jobs = [
      {
        ...old,
        id: 'j-old',
        state: 'running',
        params: { userKey: 'b', lockKey: 'b', dedupeKey: 'backup:b' },
      },
    ];
    const reopened = new JobRegistry(file, clock);
    const resumedWith: unknown[] = [];
    reopened.handle('backup', async (_context, params) => {
      resumedWith.push(params);
      return null;
    });
    expect(reopened.get('j-old')!.state).toBe('interrupted');
    const resumed = reopened.retry('j-old').job;
    expect(resumed.queue).toEqual({ lockKey: 'b', dedupeKey: 'backup:b' });
    await reopened.idle();
    expect(resumedWith).toEqual([{ userKey: 'b' }]);
  });

  it('returns the existing job when the same request comes twice while it is queued or running', async () => {
    const { jobs } = await registry();
    const g = gate();
    jobs.handle('backup', () => g.promise.then(() => null));
    const first = jobs.enqueue(request('a', { dedupeKey: 'backup:a' }));
    const second = jobs.enqueue(request('a', { dedupeKey: 'backup:a' }));
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.job.id).toBe(first.job.id);
    g.open();
    await jobs.idle();
    expect(jobs.enqueue(request('a', { dedupeKey: 'backup:a' })).created).toBe(true);
  });

  it('runs urgent jobs ahead of queued scheduled ones', async () => {
    const { jobs } = await registry();
    const order: string[] = [];
    const blocker = gate();
    jobs.handle('backup', async (context) => {
      order.push(context.job.title);
      if (context.job.title === 'first') await blocker.promise;
      return null;
    });
    jobs.enqueue(request('a', { title: 'first' }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    jobs.enqueue(request('a', { title: 'scheduled', origin: 'schedule', dedupeKey: 's' }));
    jobs.enqueue(request('a', { title: 'urgent', urgent: true, dedupeKey: 'u' }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    blocker.open();
    await jobs.idle();
    expect(order).toEqual(['first', 'urgent', 'scheduled']);
  });

  it('cancels queued and running jobs, and reports failures with their reason', async () => {
    const { jobs } = await registry();
    jobs.handle('backup', async (context) => {
      if (context.job.title === 'fails') throw new JobFailure('network', 'The network is unreachable.', true);
      await new Promise((resolve, reject) =>
        context.signal.addEventListener('abort', () => reject(context.signal.reason)),
      );
      return null;
    });
    const running = jobs.enqueue(request('a')).job;
    const queued = jobs.enqueue(request('a', { dedupeKey: 'q' })).job;
    const failing = jobs.enqueue(request('b', { title: 'fails' })).job;
    await new Promise((resolve) => setTimeout(resolve, 10));
    jobs.cancel(queued.id);
    jobs.cancel(running.id);
    expect((await jobs.wait(running.id)).state).toBe('cancelled');
    expect((await jobs.wait(queued.id)).state).toBe('cancelled');
    const failed = await jobs.wait(failing.id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toEqual({
      code: 'network',
      message: 'The network is unreachable.',
      retryable: true,
    });
  });

  it('shows a running job as cancelling until its handler stops, then as cancelled without an error', async () => {
    const { jobs } = await registry();
    const stopped = gate();
    jobs.handle('backup', async (context) => {
      await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
      // The handler reaches its next check a moment later.
      await stopped.promise;
      return null;
    });
    const job = jobs.enqueue(request('a')).job;
    await new Promise((resolve) => setTimeout(resolve, 10));
    const asked = jobs.cancel(job.id);
    expect(asked.state).toBe('running');
    expect(asked.cancelling).toBe(true);
    stopped.open();
    const done = await jobs.wait(job.id);
    expect(done.state).toBe('cancelled');
    expect(done.cancelling).toBeUndefined();
    expect(done.error).toBeUndefined();
    expect(done.log.map((line) => line.text)).toEqual(
      expect.arrayContaining(['Cancel requested.', 'Cancelled.']),
    );
  });

  it('shows a job that was running when the app died as interrupted, and resumes it with the same parameters', async () => {
    const { vault, jobs } = await registry();
    jobs.handle('backup', () => new Promise(() => undefined));
    const job = jobs.enqueue(request('a', { params: { lockKey: 'a', contactIds: ['c1'] } })).job;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await jobs.persistNow();
    // A new registry on the same file is the app after a crash.
    const { jobs: restarted } = await registry(vault);
    const interrupted = restarted.get(job.id)!;
    expect(interrupted.state).toBe('interrupted');
    let seenParams: unknown;
    restarted.handle('backup', async (_context, params) => {
      seenParams = params;
      return { done: true };
    });
    const resumed = restarted.retry(job.id).job;
    const finished = await restarted.wait(resumed.id);
    expect(finished.state).toBe('succeeded');
    expect(seenParams).toMatchObject({ contactIds: ['c1'] });
  });

  it('pushes at most every 200 ms while progressing, and always the final state', async () => {
    const { jobs } = await registry();
    const pushes: JobRecord[][] = [];
    jobs.subscribe((list) => pushes.push(list));
    jobs.handle('backup', async (context) => {
      for (let done = 1; done <= 1000; done += 1) {
        context.progress('Reading', done, 1000);
        if (done % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 30));
      }
      return null;
    });
    const started = Date.now();
    const job = jobs.enqueue(request('a')).job;
    await jobs.wait(job.id);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const elapsed = Date.now() - started;
    const progressPushes = pushes.filter((list) => list[0].state === 'running').length;
    expect(progressPushes).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + 2);
    expect(pushes.at(-1)![0].state).toBe('succeeded');
    expect(pushes.at(-1)![0].progress.done).toBe(1000);
  });
});
