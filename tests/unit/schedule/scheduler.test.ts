// Local time matters here: pin a zone with daylight saving before any Date is made.
process.env.TZ = 'Europe/Paris';

import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../main/core/ports';
import { defaultSchedule, userOffsetMinutes } from '../../../main/core/schedule/schedule';
import { Scheduler, type EnqueueReason, type TimerPort } from '../../../main/core/schedule/scheduler';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface Run {
  readonly userKey: string;
  readonly reason: EnqueueReason;
  readonly at: Date;
}

/** A scheduler over a fake clock that records what it enqueues. */
function harness(start: Date, options: { busy?: Set<string>; lastRuns?: Map<string, Date> } = {}) {
  let now = start.getTime();
  const clock: Clock = { now: () => new Date(now) };
  const runs: Run[] = [];
  const skipped: { userKey: string; slot: Date }[] = [];
  const busy = options.busy ?? new Set<string>();
  const lastRuns = options.lastRuns ?? new Map<string, Date>();
  let stops = 0;
  let onTick: (() => void) | undefined;
  const timers: TimerPort = {
    everyMinute(callback) {
      onTick = callback;
      return () => {
        stops += 1;
        onTick = undefined;
      };
    },
  };
  const scheduler = new Scheduler({
    clock,
    timers,
    enqueue: (userKey, reason) => {
      runs.push({ userKey, reason, at: clock.now() });
      lastRuns.set(userKey, clock.now());
    },
    lastRunAt: (userKey) => lastRuns.get(userKey),
    isBusy: (userKey) => busy.has(userKey),
    onSkipped: (userKey, slot) => skipped.push({ userKey, slot }),
  });
  return {
    scheduler,
    runs,
    skipped,
    busy,
    get stops() {
      return stops;
    },
    /** Fires the heartbeat the way the node-cron timer would, if started. */
    beat: () => onTick?.(),
    setNow: (date: Date) => {
      now = date.getTime();
    },
    /** Moves the clock minute by minute up to `end`, ticking at every minute like the heartbeat. */
    runUntil: (end: Date) => {
      while (now + MINUTE <= end.getTime()) {
        now += MINUTE;
        scheduler.tick();
      }
    },
  };
}

function localTime(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

function plus(time: string, minutes: number): string {
  const [hours, mins] = time.split(':').map(Number);
  const total = hours * 60 + mins + minutes;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

describe('default schedule', () => {
  it('runs exactly three times a day per user at 08:00, 14:00 and 20:00 plus the user’s offset', () => {
    const t = harness(new Date(2026, 4, 4, 0, 0));
    const users = ['google:ann@acme.example', 'microsoft:bob@acme.example', 'google:cy@acme.example'];
    for (const user of users) expect(t.scheduler.setSchedule(user, defaultSchedule())).toEqual({ ok: true });
    t.runUntil(new Date(2026, 4, 7, 0, 0));

    for (const user of users) {
      const offset = userOffsetMinutes(user);
      const mine = t.runs.filter((run) => run.userKey === user);
      expect(mine.every((run) => run.reason === 'schedule')).toBe(true);
      expect(mine.map((run) => `${run.at.getDate()} ${localTime(run.at)}`)).toEqual(
        [4, 5, 6].flatMap((day) => ['08:00', '14:00', '20:00'].map((time) => `${day} ${plus(time, offset)}`)),
      );
    }
  });

  it('gives each user a stable offset of 0-29 minutes that spreads users apart', () => {
    const offsets = Array.from({ length: 50 }, (_, index) =>
      userOffsetMinutes(`google:user${index}@acme.example`),
    );
    expect(offsets.every((offset) => Number.isInteger(offset) && offset >= 0 && offset <= 29)).toBe(true);
    expect(new Set(offsets).size).toBeGreaterThan(10);
    expect(userOffsetMinutes('google:user1@acme.example')).toBe(offsets[1]);
  });

  it('lists the next runs with the offset', () => {
    const t = harness(new Date(2026, 4, 4, 15, 0));
    t.scheduler.setSchedule('u', defaultSchedule());
    const offset = userOffsetMinutes('u');
    expect(t.scheduler.nextRuns('u', 4).map((date) => `${date.getDate()} ${localTime(date)}`)).toEqual([
      `4 ${plus('20:00', offset)}`,
      `5 ${plus('08:00', offset)}`,
      `5 ${plus('14:00', offset)}`,
      `5 ${plus('20:00', offset)}`,
    ]);
    expect(t.scheduler.nextRuns('nobody', 3)).toEqual([]);
  });
});

describe('edited schedules', () => {
  it('runs only on the chosen days and times, without offset when spread is off', () => {
    const t = harness(new Date(2026, 4, 4, 0, 0)); // Monday 4 May 2026
    t.scheduler.setSchedule('u', { kind: 'times', times: ['07:30', '19:15'], days: [1, 3], spread: false });
    t.runUntil(new Date(2026, 4, 11, 0, 0));
    expect(t.runs.map((run) => `${run.at.getDay()} ${localTime(run.at)}`)).toEqual([
      '1 07:30',
      '1 19:15',
      '3 07:30',
      '3 19:15',
    ]);
  });

  it('moves a time pushed past midnight by the offset to early next day, for the chosen day only', () => {
    const user = Array.from({ length: 100 }, (_, index) => `user${index}`).find(
      (key) => userOffsetMinutes(key) >= 15,
    );
    expect(user).toBeDefined();
    const key = user as string;
    const t = harness(new Date(2026, 4, 3, 0, 0)); // Sunday
    t.scheduler.setSchedule(key, { kind: 'times', times: ['23:50'], days: [1], spread: true }); // Mondays
    t.runUntil(new Date(2026, 4, 10, 0, 0));
    expect(t.runs.map((run) => `${run.at.getDay()} ${localTime(run.at)}`)).toEqual([
      `2 ${plus('00:00', userOffsetMinutes(key) - 10)}`,
    ]);
  });

  it('runs a cron expression exactly, with lists, ranges, steps and names', () => {
    const t = harness(new Date(2026, 4, 4, 0, 0)); // Monday
    t.scheduler.setSchedule('u', { kind: 'cron', expression: '0,30 8-9 * * mon-fri' });
    t.runUntil(new Date(2026, 4, 11, 0, 0));
    expect(t.runs).toHaveLength(5 * 4);
    expect(t.runs.slice(0, 4).map((run) => localTime(run.at))).toEqual(['08:00', '08:30', '09:00', '09:30']);
    expect(t.runs.every((run) => run.at.getDay() >= 1 && run.at.getDay() <= 5)).toBe(true);
  });

  it('keeps the previous schedule when the new one is invalid', () => {
    const t = harness(new Date(2026, 4, 4, 0, 0));
    t.scheduler.setSchedule('u', { kind: 'cron', expression: '0 12 * * *' });
    const result = t.scheduler.setSchedule('u', { kind: 'cron', expression: '0 25 * * *' });
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/25 is not a valid hour/) });
    expect(t.scheduler.nextRuns('u', 1).map(localTime)).toEqual(['12:00']);
  });

  it('forgets a removed user', () => {
    const t = harness(new Date(2026, 4, 4, 0, 0));
    t.scheduler.setSchedule('u', defaultSchedule());
    t.scheduler.remove('u');
    t.runUntil(new Date(2026, 4, 5, 0, 0));
    expect(t.runs).toEqual([]);
  });
});

describe('catch-up', () => {
  it('catches up exactly once after the computer slept two days, then follows the schedule', () => {
    const t = harness(new Date(2026, 4, 4, 0, 0));
    t.scheduler.setSchedule('u', {
      kind: 'times',
      times: ['08:00', '14:00', '20:00'],
      days: [0, 1, 2, 3, 4, 5, 6],
      spread: false,
    });
    t.scheduler.start();
    t.runUntil(new Date(2026, 4, 4, 10, 0));
    expect(t.runs.map((run) => run.reason)).toEqual(['schedule']);

    // Asleep from Monday 10:00 to Wednesday 09:00: five slots passed.
    t.setNow(new Date(2026, 4, 6, 9, 0));
    t.beat();
    expect(t.runs.map((run) => run.reason)).toEqual(['schedule', 'catch-up']);
    expect(localTime(t.runs[1].at)).toBe('09:00');

    t.runUntil(new Date(2026, 4, 7, 0, 0));
    expect(t.runs.map((run) => `${run.reason} ${localTime(run.at)}`)).toEqual([
      'schedule 08:00',
      'catch-up 09:00',
      'schedule 14:00',
      'schedule 20:00',
    ]);
  });

  it('does not catch up a sleep during which no slot passed', () => {
    const t = harness(new Date(2026, 4, 4, 9, 0));
    t.scheduler.setSchedule('u', defaultSchedule());
    t.scheduler.start();
    t.setNow(new Date(2026, 4, 4, 12, 0));
    t.scheduler.onResume();
    t.beat();
    expect(t.runs).toEqual([]);
  });

  it('catches up once at start when the app was closed over missed slots', () => {
    const lastRuns = new Map([
      ['missed', new Date(2026, 4, 2, 20, 0)],
      ['recent', new Date(2026, 4, 4, 8, 45)],
    ]);
    const t = harness(new Date(2026, 4, 4, 9, 0), { lastRuns });
    const schedule = {
      kind: 'times',
      times: ['08:00', '14:00', '20:00'],
      days: [0, 1, 2, 3, 4, 5, 6],
      spread: false,
    } as const;
    for (const user of ['missed', 'recent', 'never']) t.scheduler.setSchedule(user, schedule);
    t.scheduler.start();
    expect(t.runs.map((run) => `${run.userKey} ${run.reason}`)).toEqual(['missed catch-up']);
    t.scheduler.start(); // a second start is a no-op
    t.runUntil(new Date(2026, 4, 4, 13, 59));
    expect(t.runs).toHaveLength(1);
  });

  it('makes up nothing for a user with catch-up off, at start or after a sleep, and keeps the schedule', () => {
    const lastRuns = new Map([['u', new Date(2026, 4, 2, 20, 0)]]);
    const t = harness(new Date(2026, 4, 4, 9, 0), { lastRuns });
    const schedule = {
      kind: 'times',
      times: ['08:00', '14:00'],
      days: [0, 1, 2, 3, 4, 5, 6],
      spread: false,
    } as const;
    t.scheduler.setSchedule('u', schedule, { catchUp: false });
    t.scheduler.start();
    expect(t.runs).toEqual([]);
    t.setNow(new Date(2026, 4, 5, 9, 0));
    t.beat();
    expect(t.runs).toEqual([]);
    t.runUntil(new Date(2026, 4, 5, 15, 0));
    expect(t.runs.map((run) => `${run.reason} ${localTime(run.at)}`)).toEqual(['schedule 14:00']);
  });

  it('stops and restarts the heartbeat', () => {
    const t = harness(new Date(2026, 4, 4, 9, 0));
    t.scheduler.setSchedule('u', defaultSchedule());
    t.scheduler.start();
    t.scheduler.stop();
    expect(t.stops).toBe(1);
    t.setNow(new Date(2026, 4, 4, 15, 0));
    t.beat(); // stopped: no heartbeat any more
    expect(t.runs).toEqual([]);
  });
});

describe('no overlap', () => {
  it('skips a slot while the user is busy and does not queue it later', () => {
    const t = harness(new Date(2026, 4, 4, 0, 0));
    t.scheduler.setSchedule('u', {
      kind: 'times',
      times: ['08:00', '14:00'],
      days: [0, 1, 2, 3, 4, 5, 6],
      spread: false,
    });
    t.scheduler.setSchedule('v', {
      kind: 'times',
      times: ['08:00', '14:00'],
      days: [0, 1, 2, 3, 4, 5, 6],
      spread: false,
    });
    t.busy.add('u');
    t.runUntil(new Date(2026, 4, 4, 9, 0));
    t.busy.delete('u');
    t.runUntil(new Date(2026, 4, 4, 15, 0));
    expect(t.runs.map((run) => `${run.userKey} ${localTime(run.at)}`)).toEqual([
      'v 08:00',
      'u 14:00',
      'v 14:00',
    ]);
    expect(t.skipped.map((skip) => `${skip.userKey} ${localTime(skip.slot)}`)).toEqual(['u 08:00']);
  });

  it('skips the catch-up for a busy user', () => {
    const lastRuns = new Map([['u', new Date(2026, 4, 2, 8, 0)]]);
    const t = harness(new Date(2026, 4, 4, 9, 0), { lastRuns, busy: new Set(['u']) });
    t.scheduler.setSchedule('u', defaultSchedule());
    t.scheduler.start();
    expect(t.runs).toEqual([]);
    expect(t.skipped).toHaveLength(1);
  });
});

describe('clock changes', () => {
  it('runs a time skipped by the spring-forward change once, at the first instant after the gap', () => {
    // Europe/Paris, 29 March 2026: 02:00 jumps to 03:00.
    const t = harness(new Date(Date.UTC(2026, 2, 27, 23, 0)));
    t.scheduler.setSchedule('u', {
      kind: 'times',
      times: ['02:30', '12:00'],
      days: [0, 1, 2, 3, 4, 5, 6],
      spread: false,
    });
    t.runUntil(new Date(Date.UTC(2026, 2, 30, 22, 0)));
    expect(t.runs.map((run) => `${run.at.getDate()} ${localTime(run.at)}`)).toEqual([
      '28 02:30',
      '28 12:00',
      '29 03:00',
      '29 12:00',
      '30 02:30',
      '30 12:00',
    ]);
  });

  it('runs a time repeated by the fall-back change once, at its first occurrence', () => {
    // Europe/Paris, 25 October 2026: 03:00 goes back to 02:00, so 02:30 happens twice.
    const t = harness(new Date(Date.UTC(2026, 9, 23, 22, 0)));
    t.scheduler.setSchedule('u', {
      kind: 'times',
      times: ['02:30'],
      days: [0, 1, 2, 3, 4, 5, 6],
      spread: false,
    });
    t.runUntil(new Date(Date.UTC(2026, 9, 26, 22, 0)));
    expect(t.runs.map((run) => run.at.toISOString())).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('runs listed times in a cron expression once each on the fall-back day', () => {
    // 02:30 happens twice on 25 October 2026 in Europe/Paris; croner's default would run it twice.
    const t = harness(new Date(Date.UTC(2026, 9, 24, 20, 0)));
    t.scheduler.setSchedule('u', { kind: 'cron', expression: '30 2,12 * * *' });
    t.runUntil(new Date(Date.UTC(2026, 9, 25, 20, 0)));
    expect(t.runs.map((run) => run.at.toISOString())).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T11:30:00.000Z',
    ]);
  });

  it('runs two times that the spring-forward gap moves to the same instant once', () => {
    const t = harness(new Date(Date.UTC(2026, 2, 28, 20, 0)));
    t.scheduler.setSchedule('u', {
      kind: 'times',
      times: ['02:00', '02:30'],
      days: [0, 1, 2, 3, 4, 5, 6],
      spread: false,
    });
    t.runUntil(new Date(Date.UTC(2026, 2, 29, 20, 0)));
    expect(t.runs.map((run) => localTime(run.at))).toEqual(['03:00']);
  });

  it('re-anchors when the clock is set back instead of running a burst', () => {
    const t = harness(new Date(2026, 4, 4, 7, 0));
    t.scheduler.setSchedule('u', { kind: 'cron', expression: '0 8 * * *' });
    t.runUntil(new Date(2026, 4, 4, 9, 0));
    t.setNow(new Date(2026, 4, 4, 7, 58));
    t.scheduler.tick();
    t.runUntil(new Date(2026, 4, 4, 8, 30));
    expect(t.runs.map((run) => localTime(run.at))).toEqual(['08:00', '08:00']);
  });
});

describe('a long simulation', () => {
  it('keeps three runs a day over a month with one-minute heartbeats', () => {
    const t = harness(new Date(2026, 5, 1, 0, 0));
    t.scheduler.setSchedule('u', defaultSchedule());
    t.runUntil(new Date(new Date(2026, 5, 1).getTime() + 30 * DAY));
    expect(t.runs).toHaveLength(90);
  });
});
