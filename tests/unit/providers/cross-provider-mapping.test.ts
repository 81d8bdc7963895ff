import { describe, expect, it } from 'vitest';
import { emptyContact, type Contact } from '../../../main/core/contacts/model';
import {
  contactToGraph,
  graphToContact,
  unsupportedGraphFields,
} from '../../../main/core/providers/microsoft/contact-mapping';
import { contactToPerson, personToContact } from '../../../main/core/providers/google/people-mapping';
import { describeUnsupported } from '../../../main/core/restore/unsupported-fields';

function contact(patch: Partial<Contact>): Contact {
  return { ...emptyContact('Grace Hopper'), ...patch };
}

describe('Google ⇄ Graph field mapping (issue 14, item 7)', () => {
  it('puts Google’s main phone in a business slot, then a home one, never the mobile', () => {
    const body = contactToGraph(
      contact({
        phones: [
          { value: '+1 555 0100', type: 'main' },
          { value: '+1 555 0101', type: 'mobile' },
        ],
      }),
      false,
    );
    expect(body.businessPhones).toEqual(['+1 555 0100']);
    expect(body.mobilePhone).toBe('+1 555 0101');
    const full = contactToGraph(
      contact({
        phones: [
          { value: '1', type: 'work' },
          { value: '2', type: 'work' },
          { value: '3', type: 'main' },
        ],
      }),
      false,
    );
    expect(full.businessPhones).toEqual(['1', '2']);
    expect(full.homePhones).toEqual(['3']);
    expect(full.mobilePhone).toBeUndefined();
  });

  it('carries an email’s display name from Graph to Google and from Google to Graph', () => {
    const fromGraph = graphToContact({
      displayName: 'Grace Hopper',
      emailAddresses: [{ name: 'Amazing Grace', address: 'grace@navy.example' }],
    });
    const person = contactToPerson(fromGraph, []);
    expect(person.emailAddresses?.[0]).toMatchObject({
      value: 'grace@navy.example',
      displayName: 'Amazing Grace',
    });

    const fromGoogle = personToContact({
      resourceName: 'people/c1',
      names: [{ givenName: 'Ada' }],
      emailAddresses: [{ value: 'ada@example.org', displayName: 'Countess Ada' }],
    });
    expect(contactToGraph(fromGoogle, false).emailAddresses).toEqual([
      { name: 'Countess Ada', address: 'ada@example.org' },
    ]);
  });

  it('keeps a Graph display name as Google’s unstructured name', () => {
    const fromGraph = graphToContact({
      displayName: 'Rear Admiral Hopper',
      givenName: 'Grace',
      surname: 'Hopper',
    });
    expect(contactToPerson(fromGraph, []).names?.[0]).toMatchObject({
      unstructuredName: 'Rear Admiral Hopper',
      givenName: 'Grace',
    });
  });

  it('names the contact and counts repeats in what a target cannot hold', () => {
    const many = contact({
      emails: [1, 2, 3, 4, 5].map((n) => ({ value: `g${n}@example.org` })),
      customFields: [{ key: 'a', value: 'b' }],
      extra: { 'google.profile': { emailAddresses: [{ value: 'p@example.org' }] } },
    });
    const fields = unsupportedGraphFields(many);
    expect(fields.some((field) => field.includes('google.profile'))).toBe(false);
    expect(describeUnsupported(many, fields)).toBe(
      'Grace Hopper: emails ×2 (Graph keeps 3 email addresses), customFields',
    );
    expect(describeUnsupported(many, [])).toBeUndefined();
  });
});
