process.env.TZ = 'Europe/Paris';

import { describe, expect, it } from 'vitest';
import { parseCron } from '../../../main/core/schedule/cron';
import {
  compileSchedule,
  nextFireTimes,
  validateSchedule,
  type BackupSchedule,
} from '../../../main/core/schedule/schedule';

function cron(expression: string): BackupSchedule {
  return { kind: 'cron', expression };
}

function messageOf(schedule: BackupSchedule): string | undefined {
  const result = validateSchedule(schedule);
  return result.ok ? undefined : result.message;
}

describe('validateSchedule with cron expressions', () => {
  it.each([
    '0 8,14,20 * * *',
    '15 */6 * * *',
    '0 8-20/6 * * 1-5',
    '30 9 1,15 * *',
    '0 9 * jan,jul sun',
    '0 9 ? * 7',
    '5-59/20 * * * *',
    '0 12 29 2 *',
  ])('accepts %s', (expression) => {
    expect(validateSchedule(cron(expression))).toEqual({ ok: true });
  });

  it.each([
    ['0 8 * *', /has 5 fields .* this one has 4/],
    ['0 0 8 * * *', /seconds are not supported/],
    ['61 * * * *', /61 is not a valid minute: use 0 to 59/],
    ['0 24 * * *', /24 is not a valid hour: use 0 to 23/],
    ['0 8 0 * *', /0 is not a valid day of the month: use 1 to 31/],
    ['0 8 * 13 *', /13 is not a valid month/],
    ['0 8 * * 8', /8 is not a valid day of the week/],
    ['0 8 * * funday', /"funday" is not a valid day of the week/],
    ['0 8 L * *', /"L" is not supported in the day of the month/],
    ['0 8 * * 1#2', /"1#2" is not supported|"1#2" is not a valid/],
    ['0 20-8 * * *', /range "20-8" runs backwards/],
    ['*/0 8 * * *', /must be at least 1/],
    ['0 8 30 2 *', /never runs/],
    ['0 8 30 2 mon', /never runs/],
    ['5/20 * * * *', /step needs a range/],
    ['*/5 * * * *', /runs every 5 minutes/],
    ['0,10 8 * * *', /runs every 10 minutes/],
    ['', /has 5 fields .* this one has 0/],
    // Our parser reads it as the 1st of each month; croner refuses a step longer than the field.
    ['0 0 */32 * *', /not accepted by the scheduler/],
  ])('refuses %s with a sentence', (expression, pattern) => {
    const message = messageOf(cron(expression));
    expect(message).toMatch(pattern);
    expect(message).toMatch(/^The schedule ".*" is not valid: .+\.$/);
  });
});

describe('validateSchedule with times of day', () => {
  const base = { kind: 'times', days: [1, 2, 3, 4, 5], spread: true } as const;
  it('accepts HH:MM times', () => {
    expect(validateSchedule({ ...base, times: ['7:05', '12:00', '23:59'] })).toEqual({ ok: true });
  });
  it.each([
    [[], /at least one time/],
    [['8am'], /"8am" is not a time of day/],
    [['24:00'], /"24:00" is not a time of day/],
    [['08:00', '08:10'], /15 minutes apart/],
  ])('refuses %j', (times, pattern) => {
    expect(messageOf({ ...base, times })).toMatch(pattern);
  });
  it('refuses no days and impossible days', () => {
    expect(messageOf({ ...base, times: ['08:00'], days: [] })).toMatch(/at least one day/);
    expect(messageOf({ ...base, times: ['08:00'], days: [9 as 1] })).toMatch(/9 is not a day of the week/);
  });
});

describe('cron semantics', () => {
  it('folds 7 into Sunday and reads names', () => {
    const parsed = parseCron('0 9 * feb-mar sat,7');
    expect(parsed.ok && parsed.fields.months).toEqual([2, 3]);
    const compiled = compileSchedule(cron('0 9 * feb-mar sat,7'), 'u');
    if (!compiled.ok) throw new Error(compiled.message);
    const runs = nextFireTimes(compiled.compiled, new Date(2026, 0, 1), 3);
    // 1 February 2026 is a Sunday.
    expect(runs.map((date) => [date.getMonth() + 1, date.getDate(), date.getDay()])).toEqual([
      [2, 1, 0],
      [2, 7, 6],
      [2, 8, 0],
    ]);
  });

  it('takes the fire times from the date it is given, not from the real time', () => {
    const compiled = compileSchedule(cron('0 12 * * *'), 'u');
    if (!compiled.ok) throw new Error(compiled.message);
    expect(nextFireTimes(compiled.compiled, new Date(2001, 0, 1, 12, 0), 2)).toEqual([
      new Date(2001, 0, 2, 12, 0),
      new Date(2001, 0, 3, 12, 0),
    ]);
  });

  it('runs on either day field when both are restricted, as cron does', () => {
    const compiled = compileSchedule(cron('0 12 1 * mon'), 'u');
    if (!compiled.ok) throw new Error(compiled.message);
    const days = nextFireTimes(compiled.compiled, new Date(2026, 4, 27), 4).map((date) => date.getDate());
    // 1 June 2026 is a Monday; then Mondays 8, 15, 22.
    expect(days).toEqual([1, 8, 15, 22]);
  });

  it('finds a leap-day-only schedule years ahead', () => {
    const compiled = compileSchedule(cron('0 12 29 2 *'), 'u');
    if (!compiled.ok) throw new Error(compiled.message);
    const [next] = nextFireTimes(compiled.compiled, new Date(2026, 0, 1), 1);
    expect([next.getFullYear(), next.getMonth() + 1, next.getDate()]).toEqual([2028, 2, 29]);
  });
});
