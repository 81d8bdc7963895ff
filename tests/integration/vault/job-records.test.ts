/** Issue 18 item 9: job records stay small, the finished list is capped, a dead job shows as interrupted. */
import { afterAll, describe, expect, it } from 'vitest';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KEEP_FINISHED } from '../../../main/core/jobs/job-registry';
import type { JobRecord } from '../../../main/core/jobs/types';
import { createTestApp } from '../../support/test-app';
import { removeTempDirs } from '../../support/temp-dir';
import { runCli } from '../../support/run-cli';

afterAll(removeTempDirs);

const ids = (count: number) =>
  Array.from({ length: count }, (_, n) => `c${n.toString(16).padStart(16, '0')}`);

describe('job records', () => {
  it('keeps 200,000 ids out of the record: a count in it, the ids in a side file while needed', async () => {
    const test = await createTestApp();
    const { session } = test;
    const received: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    session.jobs.handle('check', async (_context, params) => {
      received.push((params as { contactIds: string[] }).contactIds.length);
      await gate;
      return null;
    });
    const contactIds = ids(200_000);
    const { job } = session.jobs.enqueue({
      kind: 'check',
      title: 'Many ids',
      scope: { contactIds },
      origin: 'user',
      params: { contactIds, note: 'kept' },
      lockKey: 'many',
      dedupeKey: `many:${JSON.stringify(contactIds)}`,
    });
    expect(job.params).toMatchObject({ note: 'kept', idLists: { contactIds: 200_000 } });
    expect(job.scope).toEqual({ counts: { contactIds: 200_000 } });
    expect(JSON.stringify(job).length).toBeLessThan(2000);
    await new Promise<void>((resolve) => {
      const stop = session.jobs.subscribe((jobs) => {
        if (jobs.find((item) => item.id === job.id)?.state === 'running') resolve(stop());
      });
    });
    await session.jobs.persistNow();
    const folder = session.vault.folder;
    expect((await stat(join(folder, 'db', 'tasks.cbs'))).size).toBeLessThan(4096);
    expect(await readdir(join(folder, 'db', 'job-ids'))).toEqual([`${job.id}.cbs`]);
    release();
    expect((await session.jobs.wait(job.id)).state).toBe('succeeded');
    expect(received).toEqual([200_000]);
    await session.jobs.persistNow();
    expect(await readdir(join(folder, 'db', 'job-ids'))).toEqual([]);
  });

  it('resumes a failed job with its ids after a restart (side file read back)', async () => {
    const test = await createTestApp();
    const contactIds = ids(500);
    let calls = 0;
    test.session.jobs.handle('check', async () => {
      calls += 1;
      throw new Error('the first run fails');
    });
    const { job } = test.session.jobs.enqueue({
      kind: 'check',
      title: 'Some ids',
      scope: {},
      origin: 'user',
      params: { contactIds },
      lockKey: 'some',
    });
    expect((await test.session.jobs.wait(job.id)).state).toBe('failed');
    expect(calls).toBe(1);
    const profileId = test.session.profile.id;
    await test.app.lock();
    const session = await test.app.unlock(profileId, 'test password 1');
    const received: string[][] = [];
    session.jobs.handle('check', async (_context, params) => {
      received.push((params as { contactIds: string[] }).contactIds);
      return null;
    });
    const retried = session.jobs.retry(job.id).job;
    expect((await session.jobs.wait(retried.id)).state).toBe('succeeded');
    expect(received).toEqual([contactIds]);
  });

  it('slims records written before (ids inline) when the list is opened, keeping them resumable', async () => {
    const test = await createTestApp();
    const profileId = test.session.profile.id;
    const contactIds = ids(100_000);
    const old = (id: string, state: JobRecord['state']): JobRecord => ({
      id,
      kind: 'check',
      title: `Old ${state}`,
      scope: { contactIds },
      origin: 'user',
      urgent: false,
      state,
      progress: { phase: 'Done', done: 0 },
      counts: {},
      log: [],
      createdAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
      params: { contactIds, lockKey: id },
    });
    await test.app.lock();
    // Written as an earlier version did, with the profile closed.
    const vault = await test.app.profiles.unlock(profileId, 'test password 1');
    const tasks = await vault.database<{ version: 1; jobs: JobRecord[] }>('tasks', { version: 1, jobs: [] });
    tasks.data.jobs = [old('jold1', 'succeeded'), old('jold2', 'failed')];
    await tasks.write();
    vault.lock();
    const session = await test.app.unlock(profileId, 'test password 1');
    await session.jobs.persistNow();
    expect((await stat(join(session.vault.folder, 'db', 'tasks.cbs'))).size).toBeLessThan(4096);
    const received: number[] = [];
    session.jobs.handle('check', async (_context, params) => {
      received.push((params as { contactIds: string[] }).contactIds.length);
      return null;
    });
    const retried = session.jobs.retry('jold2').job;
    expect((await session.jobs.wait(retried.id)).state).toBe('succeeded');
    expect(received).toEqual([100_000]);
  });

  it(`keeps only the last ${KEEP_FINISHED} finished jobs`, async () => {
    const test = await createTestApp();
    test.session.jobs.handle('check', async () => null);
    for (let n = 0; n < KEEP_FINISHED + 30; n += 1) {
      const { job } = test.session.jobs.enqueue({
        kind: 'check',
        title: `Job ${n}`,
        scope: {},
        origin: 'user',
        params: {},
        lockKey: `k${n}`,
      });
      await test.session.jobs.wait(job.id);
    }
    // One more enqueue trims the list (trimming happens as jobs are added).
    test.session.jobs.enqueue({
      kind: 'check',
      title: 'last',
      scope: {},
      origin: 'user',
      params: {},
      lockKey: 'z',
    });
    await test.session.jobs.idle();
    expect(test.session.jobs.list().length).toBeLessThanOrEqual(KEEP_FINISHED + 1);
  });

  it('`tasks --watch` shows a job whose process died as interrupted', async () => {
    const test = await createTestApp();
    let release!: () => void;
    test.session.jobs.handle('check', () => new Promise((resolve) => (release = () => resolve(null))));
    const { job } = test.session.jobs.enqueue({
      kind: 'check',
      title: 'Stuck',
      scope: {},
      origin: 'user',
      params: {},
      lockKey: 'stuck',
    });
    await new Promise<void>((resolve) => {
      const stop = test.session.jobs.subscribe((jobs) => {
        if (jobs.find((item) => item.id === job.id)?.state === 'running') resolve(stop());
      });
    });
    await test.session.jobs.persistNow();
    // The process "dies": its lock names a pid that no longer runs, and the job list says running.
    const lock = join(test.session.vault.folder, 'owner.lock');
    await writeFile(
      lock,
      JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), since: '' }),
    );
    const result = await runCli(test.home, ['tasks', '--watch', '--json']);
    expect(result.code).toBe(0);
    const shown = JSON.parse(result.stdout.trim().split('\n')[0]) as JobRecord[];
    expect(shown.find((item) => item.id === job.id)?.state).toBe('interrupted');
    release();
  });
});
