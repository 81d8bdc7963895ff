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

describe('what the info pane reads out', () => {
  it('gives kinds human labels, custom labels as typed, unknown kinds spelled out', async () => {
    const { typeLabel, humanType } = await import('../../../../renderer/src/lib/format');
    expect(typeLabel({ type: 'work-mobile' })).toBe('Work mobile');
    expect(typeLabel({ type: 'home-page' })).toBe('Home page');
    expect(typeLabel({ type: 'other', label: 'Babbage line' })).toBe('Babbage line');
    expect(humanType('school_office')).toBe('School office');
  });

  it('writes extensions as "ext." and leaves plain numbers alone', async () => {
    const { formatPhone } = await import('../../../../renderer/src/lib/format');
    expect(formatPhone('+1 555 0100,,80')).toBe('+1 555 0100 ext. 80');
    expect(formatPhone('+1 555 0100;ext=80')).toBe('+1 555 0100 ext. 80');
    expect(formatPhone('+1 555 0100 x80')).toBe('+1 555 0100 ext. 80');
    expect(formatPhone('+1 555 0100')).toBe('+1 555 0100');
  });

  it('names countries from their code without repeating it', async () => {
    const { formatCountry } = await import('../../../../renderer/src/lib/format');
    expect(formatCountry(undefined, 'us')).toBe('United States');
    expect(formatCountry('United States', 'US')).toBe('United States');
    expect(formatCountry('USA', 'US')).toBe('USA');
    expect(formatCountry('Atlantis', undefined)).toBe('Atlantis');
  });

  it('breaks emails only after @ and before dots', async () => {
    const { breakPoints } = await import('../../../../renderer/src/lib/format');
    expect(breakPoints('jane.doe@mail.example.com')).toEqual(['jane', '.doe@', 'mail', '.example', '.com']);
  });

  it('counts with grouping and plurals', async () => {
    const { strings } = await import('../../../../renderer/src/strings');
    expect(strings.contacts.countLine(340, 0)).toBe('340 contacts, 0 selected');
    expect(strings.contacts.countLine(1, 1)).toBe('1 contact, 1 selected');
    expect(strings.contacts.countLine(40000, 2)).toBe('40,000 contacts, 2 selected');
  });
});

describe('the difference between two versions', () => {
  it('marks added, removed and changed fields', async () => {
    const { diffContacts } = await import('../../../../renderer/src/lib/contact-diff');
    const { fullDetails } = await import('../fixtures');
    const older = fullDetails().contact;
    const newer = {
      ...older,
      notes: 'A new note',
      emails: [older.emails[0]],
      phones: [...older.phones, { value: '+44 20 1111 2222,,80', type: 'work' }],
    };
    const rows = diffContacts(older, newer);
    expect(rows).toContainEqual({
      field: 'Notes',
      kind: 'changed',
      before: older.notes,
      after: 'A new note',
    });
    expect(rows).toContainEqual({ field: 'Emails', kind: 'removed', before: 'Home: ada.home@example.org' });
    expect(rows).toContainEqual({ field: 'Phones', kind: 'added', after: 'Work: +44 20 1111 2222 ext. 80' });
    expect(rows).toHaveLength(3);
    expect(diffContacts(older, older)).toEqual([]);
  });
});
