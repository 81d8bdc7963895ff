import { describe, expect, it } from 'vitest';
import { bestDisplayName, emptyContact } from '../../../main/core/contacts/model';

describe('bestDisplayName', () => {
  it('builds a name from its parts when the display name is blank', () => {
    const contact = { ...emptyContact(' '), name: { given: 'Ada', family: 'Lovelace' } };
    expect(bestDisplayName(contact)).toBe('Ada Lovelace');
  });
  it('falls back to the first email', () => {
    const contact = { ...emptyContact(), emails: [{ value: 'a@example.org' }] };
    expect(bestDisplayName(contact)).toBe('a@example.org');
  });
});
