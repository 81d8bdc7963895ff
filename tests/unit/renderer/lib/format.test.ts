import { describe, expect, it } from 'vitest';
import { formatDuration, formatPartialDate } from '../../../../renderer/src/lib/format';

describe('formatPartialDate', () => {
  it('shows a birthday without a year', () => {
    expect(formatPartialDate({ month: 3, day: 14 })).toBe('14 March');
  });
  it('shows a full date', () => {
    expect(formatPartialDate({ year: 1980, month: 3, day: 14 })).toBe('14 March 1980');
  });
  it('falls back to the source text, and keeps it beside a different structured date', () => {
    expect(formatPartialDate({ text: 'sometime in spring' })).toBe('sometime in spring');
    expect(formatPartialDate({ month: 5, day: 1, text: 'May Day' })).toBe('1 May (May Day)');
  });
});

describe('formatDuration', () => {
  it('formats seconds, minutes and hours', () => {
    expect(formatDuration('2026-01-01T00:00:00Z', '2026-01-01T00:00:42Z')).toBe('42 s');
    expect(formatDuration('2026-01-01T00:00:00Z', '2026-01-01T00:02:05Z')).toBe('2 min 5 s');
    expect(formatDuration('2026-01-01T00:00:00Z', '2026-01-01T01:03:00Z')).toBe('1 h 3 min');
  });
  it('measures a running job against now and is empty before it started', () => {
    expect(formatDuration('2026-01-01T00:00:00Z', undefined, Date.parse('2026-01-01T00:00:10Z'))).toBe(
      '10 s',
    );
    expect(formatDuration(undefined, undefined)).toBe('');
  });
});
