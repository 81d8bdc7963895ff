/**
 * Our own reading of 5-field cron expressions. node-cron validates them too (schedule.ts), but we need
 * the fields themselves to compute fire times from an injected clock, and we want sentences a user
 * understands instead of node-cron's messages.
 *
 * Supported: `*`, numbers, lists (`1,15`), ranges (`1-5`), steps on `*` or a range (`*\/2`,
 * `8-20/6`; not `5/15`, which node-cron refuses), month names (jan-dec), weekday names (sun-sat),
 * 7 as Sunday, and `?` as `*` in the two day fields. Not supported, refused with a sentence: seconds (6 fields), `L`, `W`, `#`.
 */
import { scheduleMessages } from './messages';

export interface CronFields {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly number[];
  /** 1-12 as written in cron. */
  readonly months: readonly number[];
  /** 0-6, Sunday 0 (7 is folded into 0). */
  readonly weekdays: readonly number[];
  /**
   * Whether each day field was restricted (not `*` or `?`). As in Vixie cron and POSIX, when both are
   * restricted a day matches if EITHER matches; when one is `*`, only the other one counts.
   */
  readonly daysOfMonthRestricted: boolean;
  readonly weekdaysRestricted: boolean;
}

export type CronParse =
  { readonly ok: true; readonly fields: CronFields } | { readonly ok: false; readonly why: string };

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly namesStartAt?: number;
  readonly allowQuestionMark?: boolean;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of the month', min: 1, max: 31, allowQuestionMark: true },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
    namesStartAt: 1,
  },
  {
    name: 'day of the week',
    min: 0,
    max: 7,
    names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
    namesStartAt: 0,
    allowQuestionMark: true,
  },
];

/** Parses a 5-field cron expression into sorted value lists, or says what is wrong. */
export function parseCron(expression: string): CronParse {
  const parts = expression.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 6) return { ok: false, why: scheduleMessages.seconds };
  if (parts.length !== 5) return { ok: false, why: scheduleMessages.fieldCount(parts.length) };

  const values: number[][] = [];
  for (let index = 0; index < FIELDS.length; index += 1) {
    const parsed = parseField(parts[index], FIELDS[index]);
    if (typeof parsed === 'string') return { ok: false, why: parsed };
    values.push(parsed);
  }
  const weekdays = [...new Set(values[4].map((day) => day % 7))].sort((a, b) => a - b);
  return {
    ok: true,
    fields: {
      minutes: values[0],
      hours: values[1],
      daysOfMonth: values[2],
      months: values[3],
      weekdays,
      daysOfMonthRestricted: !isWildcard(parts[2]),
      weekdaysRestricted: !isWildcard(parts[4]),
    },
  };
}

/** Whether a local calendar day matches the day fields of a cron expression. */
export function cronDayMatches(
  fields: CronFields,
  month: number,
  dayOfMonth: number,
  weekday: number,
): boolean {
  if (!fields.months.includes(month)) return false;
  const dayOfMonthMatches = fields.daysOfMonth.includes(dayOfMonth);
  const weekdayMatches = fields.weekdays.includes(weekday);
  if (fields.daysOfMonthRestricted && fields.weekdaysRestricted) return dayOfMonthMatches || weekdayMatches;
  if (fields.daysOfMonthRestricted) return dayOfMonthMatches;
  if (fields.weekdaysRestricted) return weekdayMatches;
  return true;
}

function isWildcard(part: string): boolean {
  return part === '*' || part === '?';
}

/** Returns the sorted values of one field, or a sentence saying what is wrong with it. */
function parseField(part: string, spec: FieldSpec): number[] | string {
  const values = new Set<number>();
  for (const item of part.split(',')) {
    const [base, stepText, ...extra] = item.split('/');
    if (extra.length > 0 || base === '') return scheduleMessages.unknownValue(item, spec.name);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText)) return scheduleMessages.unknownValue(item, spec.name);
      step = Number(stepText);
      if (step < 1) return scheduleMessages.zeroStep(item, spec.name);
    }

    let first: number;
    let last: number;
    if (base === '*' || (base === '?' && spec.allowQuestionMark)) {
      first = spec.min;
      last = spec.max;
    } else {
      const [startText, endText, ...rest] = base.split('-');
      if (rest.length > 0) return scheduleMessages.unknownValue(item, spec.name);
      const start = valueOf(startText, spec);
      if (typeof start === 'string') return start;
      first = start;
      if (endText !== undefined) {
        const end = valueOf(endText, spec);
        if (typeof end === 'string') return end;
        if (end < start) return scheduleMessages.backwards(base, spec.name);
        last = end;
      } else {
        // Vixie cron reads `5/15` as 5 to the end by 15, but node-cron refuses it: ask for the range.
        if (stepText !== undefined) return scheduleMessages.stepNeedsRange(item, spec.name);
        last = start;
      }
    }
    for (let value = first; value <= last; value += step) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

function valueOf(text: string, spec: FieldSpec): number | string {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    if (value < spec.min || value > spec.max) {
      return scheduleMessages.outOfRange(text, spec.name, spec.min, spec.max);
    }
    return value;
  }
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (spec.namesStartAt ?? 0);
  if (/[LW#]/i.test(text)) return scheduleMessages.unsupported(text, spec.name);
  return scheduleMessages.unknownValue(text, spec.name);
}
