/**
 * What a backup schedule is and when it fires (product.md S6, issue 6). Fire times are computed here,
 * from plain dates, so the scheduler can be driven by an injected clock and the Settings page can show
 * the next runs.
 *
 * Time zone and daylight saving: times are local wall-clock times of the computer. Each configured
 * wall time fires once per day. A time that does not exist on a spring-forward day (02:30 when clocks
 * jump from 02:00 to 03:00) fires when the jump has happened, one hour later by the wall clock (03:30,
 * the JavaScript rule for a skipped local time); a time that occurs twice on a fall-back day fires only
 * at its first occurrence. So a day never loses or doubles a backup.
 */
import { createHash } from 'node:crypto';
import { validateDetailed as nodeCronValidate } from 'node-cron';
import { cronDayMatches, parseCron } from './cron';
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

/** Minutes of one local day (0-1439) at which a compiled schedule fires. */
export interface CompiledSchedule {
  minutesOn(day: Date): readonly number[];
}

const ALL_DAYS: readonly Weekday[] = [0, 1, 2, 3, 4, 5, 6];
const MINUTES_PER_DAY = 24 * 60;
const MIN_GAP_MINUTES = 15;
/** How far ahead fire times are looked for: past any leap-day-only expression, bounded for safety. */
const HORIZON_DAYS = 8 * 366;

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
 * Turns a valid schedule for one user into its daily fire minutes. Invalid schedules come back as the
 * same sentence {@link validateSchedule} gives.
 */
export function compileSchedule(
  schedule: BackupSchedule,
  userKey: string,
):
  | { readonly ok: true; readonly compiled: CompiledSchedule }
  | { readonly ok: false; readonly message: string } {
  return schedule.kind === 'cron' ? compileCron(schedule.expression) : compileTimes(schedule, userKey);
}

/** The first fire time strictly after `after`, or undefined if none within the horizon. */
export function nextFireTime(compiled: CompiledSchedule, after: Date): Date | undefined {
  const year = after.getFullYear();
  const month = after.getMonth();
  const date = after.getDate();
  for (let offset = 0; offset <= HORIZON_DAYS; offset += 1) {
    const day = new Date(year, month, date + offset);
    let best: Date | undefined;
    for (const minute of compiled.minutesOn(day)) {
      // Built from wall-clock parts so daylight saving shifts are handled by Date (see file comment).
      const candidate = new Date(
        day.getFullYear(),
        day.getMonth(),
        day.getDate(),
        Math.floor(minute / 60),
        minute % 60,
      );
      if (candidate > after && (best === undefined || candidate < best)) best = candidate;
    }
    if (best) return best;
  }
  return undefined;
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

function compileCron(
  expression: string,
):
  | { readonly ok: true; readonly compiled: CompiledSchedule }
  | { readonly ok: false; readonly message: string } {
  const refuse = (why: string) => ({
    ok: false as const,
    message: scheduleMessages.invalidCron(expression, why),
  });
  const parsed = parseCron(expression);
  if (!parsed.ok) return refuse(parsed.why);
  const { fields } = parsed;
  if (
    !canEverRun(fields.months, fields.daysOfMonth, fields.daysOfMonthRestricted, fields.weekdaysRestricted)
  ) {
    return refuse(scheduleMessages.never);
  }
  const minutes = fields.hours.flatMap((hour) => fields.minutes.map((minute) => hour * 60 + minute));
  const gap = smallestGap(minutes);
  if (gap < MIN_GAP_MINUTES) return refuse(scheduleMessages.tooOften(gap));

  // A second opinion: what we accept must also be what node-cron accepts, since we promise cron syntax.
  // node-cron is stricter on one point: a day no chosen month has (30 February) is refused even when a
  // weekday list would make the expression run.
  const [cronError] = nodeCronValidate(expression.trim()).errors;
  if (cronError) {
    return refuse(
      cronError.field === 'dayOfMonth'
        ? scheduleMessages.never
        : scheduleMessages.rejectedByCron(cronError.field, cronError.value ?? ''),
    );
  }

  return {
    ok: true,
    compiled: {
      minutesOn: (day) =>
        cronDayMatches(fields, day.getMonth() + 1, day.getDate(), day.getDay()) ? minutes : [],
    },
  };
}

function compileTimes(
  schedule: Extract<BackupSchedule, { kind: 'times' }>,
  userKey: string,
):
  | { readonly ok: true; readonly compiled: CompiledSchedule }
  | { readonly ok: false; readonly message: string } {
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

  const days = new Set<number>(schedule.days);
  const offset = schedule.spread ? userOffsetMinutes(userKey) : 0;
  // A time pushed past midnight by the offset belongs to the day it was configured for, so it fires
  // early on the next calendar day, and only if the configured day was chosen.
  const sameDay = baseMinutes.map((minute) => minute + offset).filter((minute) => minute < MINUTES_PER_DAY);
  const nextDay = baseMinutes
    .map((minute) => minute + offset - MINUTES_PER_DAY)
    .filter((minute) => minute >= 0);
  return {
    ok: true,
    compiled: {
      minutesOn: (day) => {
        const weekday = day.getDay();
        return [...(days.has((weekday + 6) % 7) ? nextDay : []), ...(days.has(weekday) ? sameDay : [])].sort(
          (a, b) => a - b,
        );
      },
    },
  };
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

/** Whether some chosen month has some chosen day (30 February never comes; 29 February does). */
function canEverRun(
  months: readonly number[],
  daysOfMonth: readonly number[],
  daysOfMonthRestricted: boolean,
  weekdaysRestricted: boolean,
): boolean {
  // With a weekday list as well, cron runs on either, and every month has every weekday.
  if (!daysOfMonthRestricted || weekdaysRestricted) return true;
  const longest = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return months.some((month) => daysOfMonth.some((day) => day <= longest[month]));
}
