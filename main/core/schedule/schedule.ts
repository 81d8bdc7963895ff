/**
 * What a backup schedule is and when it fires (product.md S6, issue 6). Fire times are computed by
 * croner from dates the caller passes (the scheduler's injected clock), never from the real time, so
 * tests drive them with a fake clock and the Settings page can show the next runs.
 *
 * Time zone and daylight saving: times are local wall-clock times of the computer, and croner's rules
 * apply (its README, "DST handling", Vixie cron's). A time of day, or a cron expression without `*`
 * or a step in its minute and hour fields, is a fixed-time job: a time that spring-forward skips
 * (02:30 when clocks jump from 02:00 to 03:00) runs at the first instant after the gap (03:00), and a
 * time that fall-back repeats runs once, at its first occurrence. A cron expression with `*` or a
 * step in those fields is an interval job: times in the gap are skipped and a repeated time runs on
 * both occurrences, so "every two hours" keeps running through the repeated hour.
 */
import { createHash } from 'node:crypto';
import { Cron, type CronOptions } from 'croner';
import { parseCron } from './cron';
import { scheduleMessages } from './messages';

/** 0 is Sunday, as in cron and `Date.getDay()`. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export type BackupSchedule =
  | {
      readonly kind: 'times';
      /** Local times of day, `HH:MM`. */
      readonly times: readonly string[];
      readonly days: readonly Weekday[];
      /**
       * Adds the user's fixed offset of 0-29 minutes (see {@link userOffsetMinutes}) so the users of one
       * office do not all start at the same minute and hit the provider's rate limits together.
       */
      readonly spread: boolean;
    }
  | {
      /** A 5-field cron expression in local time; runs exactly when it says, without offset. */
      readonly kind: 'cron';
      readonly expression: string;
    };

export type ScheduleValidation = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** A valid schedule of one user, ready to give its fire times (see {@link nextFireTime}). */
export interface CompiledSchedule {
  /** One croner job per cron expression or per time of day; none of them is ever started. */
  readonly jobs: readonly Cron[];
}

type Compiled =
  | { readonly ok: true; readonly compiled: CompiledSchedule }
  | { readonly ok: false; readonly message: string };

const ALL_DAYS: readonly Weekday[] = [0, 1, 2, 3, 4, 5, 6];
const MINUTES_PER_DAY = 24 * 60;
const MIN_GAP_MINUTES = 15;

/**
 * croner options for every job. `5-part`: no seconds or years. `no-wildcard`: a list or range of
 * times (`0 8,14,20 * * *`) runs each time once on a fall-back day, as a single time does (croner's
 * default would run a listed time in the repeated hour twice). `paused` and no function: the jobs
 * only compute dates, the scheduler's heartbeat does the running.
 */
const CRON_OPTIONS: CronOptions = { mode: '5-part', fixedTimeRule: 'no-wildcard', paused: true };

/**
 * The default of product.md S6: three backups a day, spread over the working day, every day, with the
 * per-user offset so users of one profile start at different minutes.
 */
export function defaultSchedule(): BackupSchedule {
  return { kind: 'times', times: ['08:00', '14:00', '20:00'], days: ALL_DAYS, spread: true };
}

/**
 * The user's fixed offset of 0-29 minutes, from a hash of the user key: stable across restarts and
 * machines, so the Settings page can show exact times, and different for users of one office.
 */
export function userOffsetMinutes(userKey: string): number {
  return createHash('sha256').update(userKey, 'utf8').digest().readUInt32BE(0) % 30;
}

/** Checks a schedule as the user entered it; the message says what is wrong and how to fix it. */
export function validateSchedule(schedule: BackupSchedule): ScheduleValidation {
  const compiled = compileSchedule(schedule, 'validation');
  return compiled.ok ? { ok: true } : compiled;
}

/**
 * Turns a valid schedule for one user into croner jobs. Invalid schedules come back as the same
 * sentence {@link validateSchedule} gives.
 */
export function compileSchedule(schedule: BackupSchedule, userKey: string): Compiled {
  return schedule.kind === 'cron' ? compileCron(schedule.expression) : compileTimes(schedule, userKey);
}

/**
 * The first fire time strictly after `after`, or undefined if there is none. `after` is always
 * passed: croner falls back to the real time only without it.
 */
export function nextFireTime(compiled: CompiledSchedule, after: Date): Date | undefined {
  let best: Date | undefined;
  for (const job of compiled.jobs) {
    const next = job.nextRun(after);
    // Two times of day that a spring-forward gap moves to the same instant make one fire time.
    if (next && (best === undefined || next < best)) best = next;
  }
  return best;
}

/** The next `count` fire times after `after`, for the Settings page and tests. */
export function nextFireTimes(compiled: CompiledSchedule, after: Date, count: number): Date[] {
  const times: Date[] = [];
  let cursor = after;
  while (times.length < count) {
    const next = nextFireTime(compiled, cursor);
    if (!next) break;
    times.push(next);
    cursor = next;
  }
  return times;
}

function compileCron(expression: string): Compiled {
  const refuse = (why: string) => ({
    ok: false as const,
    message: scheduleMessages.invalidCron(expression, why),
  });
  // Our parser first, for sentences a user understands and for what croner would accept but we do
  // not (seconds, L, W, #, runs closer than 15 minutes).
  const parsed = parseCron(expression);
  if (!parsed.ok) return refuse(parsed.why);
  const { fields } = parsed;
  if (!canEverRun(fields.months, fields.daysOfMonth, fields.daysOfMonthRestricted)) {
    return refuse(scheduleMessages.never);
  }
  const minutes = fields.hours.flatMap((hour) => fields.minutes.map((minute) => hour * 60 + minute));
  const gap = smallestGap(minutes);
  if (gap < MIN_GAP_MINUTES) return refuse(scheduleMessages.tooOften(gap));

  // croner computes the fire times, so it has the last word on what is valid; its own message is not
  // shown (style.md), and our parser should have caught everything it refuses.
  try {
    return { ok: true, compiled: { jobs: [new Cron(expression.trim(), CRON_OPTIONS)] } };
  } catch {
    return refuse(scheduleMessages.rejectedByCron);
  }
}

function compileTimes(schedule: Extract<BackupSchedule, { kind: 'times' }>, userKey: string): Compiled {
  if (schedule.times.length === 0) return { ok: false, message: scheduleMessages.noTimes };
  if (schedule.times.length > 24) return { ok: false, message: scheduleMessages.tooManyTimes };
  const baseMinutes: number[] = [];
  for (const time of schedule.times) {
    const match = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
    const hour = match ? Number(match[1]) : NaN;
    const minute = match ? Number(match[2]) : NaN;
    if (!(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59)) {
      return { ok: false, message: scheduleMessages.badTime(time) };
    }
    baseMinutes.push(hour * 60 + minute);
  }
  if (smallestGap(baseMinutes) < MIN_GAP_MINUTES)
    return { ok: false, message: scheduleMessages.timesTooClose };
  if (schedule.days.length === 0) return { ok: false, message: scheduleMessages.noDays };
  const badDay = schedule.days.find((day) => !Number.isInteger(day) || day < 0 || day > 6);
  if (badDay !== undefined) return { ok: false, message: scheduleMessages.badDay(badDay) };

  const offset = schedule.spread ? userOffsetMinutes(userKey) : 0;
  // Each time is one cron job with a single minute and hour, so croner runs it once a day even on a
  // fall-back day. A time pushed past midnight by the offset belongs to the day it was configured
  // for: it fires early on the next calendar day, so its weekdays move by one.
  const jobs = baseMinutes.map((base) => {
    const minute = base + offset;
    const nextDay = minute >= MINUTES_PER_DAY;
    const wallMinute = nextDay ? minute - MINUTES_PER_DAY : minute;
    const days = schedule.days.map((day) => (nextDay ? (day + 1) % 7 : day));
    const dayField = new Set(days).size === 7 ? '*' : [...new Set(days)].sort((a, b) => a - b).join(',');
    return new Cron(`${wallMinute % 60} ${Math.floor(wallMinute / 60)} * * ${dayField}`, CRON_OPTIONS);
  });
  return { ok: true, compiled: { jobs } };
}

/** Smallest distance in minutes between two fire minutes of a day, counting across midnight. */
function smallestGap(minutes: readonly number[]): number {
  const sorted = [...new Set(minutes)].sort((a, b) => a - b);
  if (sorted.length < 2) return MINUTES_PER_DAY;
  let gap = sorted[0] + MINUTES_PER_DAY - sorted[sorted.length - 1];
  for (let index = 1; index < sorted.length; index += 1)
    gap = Math.min(gap, sorted[index] - sorted[index - 1]);
  return gap;
}

/**
 * Whether some chosen month has some chosen day (30 February never comes; 29 February does). Also
 * refused: a day no chosen month has next to a weekday list (`0 8 30 2 mon`). Cron would run it on
 * the weekdays alone, which is surely not what was meant; node-cron, our validator before croner,
 * refused it too.
 */
function canEverRun(
  months: readonly number[],
  daysOfMonth: readonly number[],
  daysOfMonthRestricted: boolean,
): boolean {
  if (!daysOfMonthRestricted) return true;
  const longest = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return months.some((month) => daysOfMonth.some((day) => day <= longest[month]));
}
