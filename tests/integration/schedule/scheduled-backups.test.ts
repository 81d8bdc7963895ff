import { afterAll, describe, expect, it } from 'vitest';
import { emptyContact } from '../../../main/core/contacts/model';
import { configureBackup, enqueueBackup } from '../../../main/core/session/backup-service';
import { scheduleView, setSchedule } from '../../../main/core/session/schedule-service';
import type { ContactProvider } from '../../../main/core/providers/provider';
import { MemoryBook, memoryProvider } from '../../support/memory-provider';
import { createTestApp } from '../../support/test-app';
import { removeTempDirs } from '../../support/temp-dir';

afterAll(removeTempDirs);

const MINUTE = 60_000;

/** A fake clock and a fake minute timer: the test moves time and ticks. */
function fakeTime(startIso: string) {
  let now = new Date(startIso).getTime();
  const listeners: (() => void)[] = [];
  return {
    clock: { now: () => new Date(now) },
    timers: {
      everyMinute(onTick: () => void) {
        listeners.push(onTick);
        return () => listeners.splice(listeners.indexOf(onTick), 1);
      },
    },
    /** Moves time minute by minute, ticking, and lets queued jobs run between ticks. */
    async advance(minutes: number, settle: () => Promise<void>) {
      for (let minute = 0; minute < minutes; minute += 1) {
        now += MINUTE;
        for (const listener of [...listeners]) listener();
        await settle();
      }
    },
    /** A sleep: time jumps with no ticks, then one tick. */
    async sleep(minutes: number, settle: () => Promise<void>) {
      now += minutes * MINUTE;
      for (const listener of [...listeners]) listener();
      await settle();
    },
    get now() {
      return now;
    },
  };
}

function book(): MemoryBook {
  const result = new MemoryBook();
  result.put('a', { ...emptyContact('Ada'), emails: [{ value: 'ada@example.org' }] });
  return result;
}

describe('scheduled backups', () => {
  it('runs three backups a day per user at the configured times, for several days', async () => {
    const time = fakeTime('2026-06-01T00:00:00');
    const test = await createTestApp({ clock: time.clock, scheduler: { timers: time.timers } });
    const first = await test.addBook('One', book());
    const second = await test.addBook('Two', book());
    await setSchedule(test.session, second, {
      kind: 'times',
      times: ['07:30', '12:00', '18:45'],
      days: [0, 1, 2, 3, 4, 5, 6],
      spread: false,
    });
    await configureBackup(test.session, { enabled: true, applyToEnabledUsers: false });
    const settle = () => test.session.jobs.idle();
    await time.advance(3 * 24 * 60, settle);
    const scheduled = test.session.jobs.list().filter((job) => job.origin === 'schedule');
    const per = (userKey: string) =>
      scheduled.filter((job) => `${job.scope.accountId}/${job.scope.userId}` === userKey);
    expect(per(first)).toHaveLength(9);
    expect(per(second)).toHaveLength(9);
    const times = per(second)
      .map((job) => new Date(job.createdAt))
      .map(
        (date) => `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`,
      );
    expect(new Set(times)).toEqual(new Set(['07:30', '12:00', '18:45']));
    expect(scheduled.every((job) => job.state === 'succeeded')).toBe(true);
    const view = await scheduleView(test.session, second);
    expect(view.nextRuns).toHaveLength(5);
  });

  it('catches up once after a two-day sleep, not once per missed slot', async () => {
    const time = fakeTime('2026-06-01T06:00:00');
    const test = await createTestApp({ clock: time.clock, scheduler: { timers: time.timers } });
    const userKey = await test.addBook('One', book());
    await configureBackup(test.session, { enabled: true, applyToEnabledUsers: true });
    const settle = () => test.session.jobs.idle();
    await settle();
    await time.advance(60, settle);
    const before = test.session.jobs.list().length;
    await time.sleep(2 * 24 * 60, settle);
    const after = test.session.jobs.list();
    expect(after.length - before).toBe(1);
    expect(after[0].origin).toBe('catch-up');
    expect(`${after[0].scope.accountId}/${after[0].scope.userId}`).toBe(userKey);
  });

  it('does not overlap a backup that runs long, and runs urgent jobs before queued scheduled ones', async () => {
    const time = fakeTime('2026-06-01T07:50:00');
    let release: () => void = () => undefined;
    let slow = true;
    const slowProvider = (source: MemoryBook): ContactProvider => {
      const provider = memoryProvider(source);
      return {
        ...provider,
        sync: async (...args) => {
          if (slow) await new Promise<void>((resolve) => (release = resolve));
          return provider.sync(...args);
        },
      };
    };
    const test = await createTestApp({ clock: time.clock, scheduler: { timers: time.timers } });
    const userKey = await test.addBook('One', book(), slowProvider);
    await setSchedule(test.session, userKey, {
      kind: 'times',
      times: ['08:00', '08:30'],
      days: [0, 1, 2, 3, 4, 5, 6],
      spread: false,
    });
    await configureBackup(test.session, { enabled: true, applyToEnabledUsers: false });
    const noWait = async () => new Promise<void>((resolve) => setImmediate(resolve));
    await time.advance(60, noWait);
    // 08:00 started and is still running at 08:30: that slot is skipped, not queued.
    const jobs = test.session.jobs.list();
    expect(jobs.filter((job) => job.origin === 'schedule')).toHaveLength(1);
    expect(jobs[0].state).toBe('running');
    // An urgent Run Backup of selected contacts while it runs is queued, and the same request again returns it.
    const contactId = [...test.session.history.index.contacts.keys()][0];
    void contactId;
    const urgent = enqueueBackup(test.session, { userKey, contactIds: [] }, 'user', true);
    const again = enqueueBackup(test.session, { userKey, contactIds: [] }, 'user', true);
    expect(again.created).toBe(false);
    expect(again.job.id).toBe(urgent.job.id);
    slow = false;
    release();
    await test.session.jobs.idle();
    const order = test.session.jobs
      .list()
      .filter((job) => job.startedAt)
      .sort((a, b) => a.startedAt!.localeCompare(b.startedAt!))
      .map((job) => job.origin);
    expect(order).toEqual(['schedule', 'user']);
  });
});
