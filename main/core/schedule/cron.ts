/**
 * Our own reading of 5-field cron expressions. croner computes the fire times and validates too
 * (schedule.ts); this reading gives sentences a user understands instead of croner's messages,
 * refuses what croner would accept but we do not (seconds, `L`, `W`, `#`), and gives the minutes,
 * hours and days for the 15-minute and "never runs" checks.
 *
 * Supported: `*`, numbers, lists (`1,15`), ranges (`1-5`), steps on `*` or a range (`*\/2`,
 * `8-20/6`; not `5/15`, which croner refuses without its `sloppyRanges`), month names (jan-dec),
 * weekday names (sun-sat), 7 as Sunday, and `?` as `*` in the two day fields.
 */
import { scheduleMessages } from './messages';

export interface CronFields {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly number[];
  /** 1-12 as written in cron. */
  readonly months: readonly number[];
  /** Whether the day-of-month field was restricted (not `*` or `?`). */
  readonly daysOfMonthRestricted: boolean;
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
  return {
    ok: true,
    fields: {
      minutes: values[0],
      hours: values[1],
      daysOfMonth: values[2],
      months: values[3],
      daysOfMonthRestricted: !isWildcard(parts[2]),
    },
  };
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
        // Vixie cron reads `5/15` as 5 to the end by 15, but croner refuses it: ask for the range.
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
