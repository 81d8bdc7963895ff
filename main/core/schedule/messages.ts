/**
 * Every sentence the schedule code shows to a user, in one place (style.md). Each says what is wrong
 * and how to write it instead.
 */

export const scheduleMessages = {
  invalidCron: (expression: string, why: string) => `The schedule "${expression}" is not valid: ${why}`,
  fieldCount: (count: number) =>
    `a schedule has 5 fields (minute hour day-of-month month day-of-week) but this one has ${count}.`,
  seconds: 'a schedule has 5 fields (minute hour day-of-month month day-of-week); seconds are not supported.',
  outOfRange: (value: string, field: string, min: number, max: number) =>
    `${value} is not a valid ${field}: use ${min} to ${max}.`,
  unknownValue: (value: string, field: string) => `"${value}" is not a valid ${field}.`,
  unsupported: (value: string, field: string) =>
    `"${value}" is not supported in the ${field}: use numbers, lists (1,15), ranges (1-5) and steps (*/2).`,
  backwards: (value: string, field: string) =>
    `the ${field} range "${value}" runs backwards: write the smaller number first.`,
  zeroStep: (value: string, field: string) => `the step in "${value}" (${field}) must be at least 1.`,
  never: 'it never runs, because none of its months has that day.',
  tooOften: (minutes: number) =>
    `it runs every ${minutes} minutes; backups run at most every 15 minutes so that Google and Microsoft do not throttle the account.`,
  rejectedByCron:
    'it is not accepted by the scheduler: use numbers, lists (1,15), ranges (1-5) and steps (*/2).',
  stepNeedsRange: (item: string, field: string) =>
    `a step needs a range or *, as in */15 or 5-59/15, not "${item}" (${field}).`,
  noTimes: 'Choose at least one time of day for the backups.',
  tooManyTimes: 'Choose at most 24 times of day for the backups.',
  badTime: (time: string) => `"${time}" is not a time of day: write it as HH:MM, for example 08:00 or 20:30.`,
  timesTooClose: 'Times of day must be at least 15 minutes apart.',
  noDays: 'Choose at least one day of the week for the backups.',
  badDay: (day: unknown) => `${String(day)} is not a day of the week: use 0 (Sunday) to 6 (Saturday).`,
} as const;
