/** Small builders for renderer tests: a job, a contact summary, a full contact with every field. */
import type {
  ContactDetailsView,
  ContactSummaryView,
  ResponseOf,
} from '../../../main/core/contract/contract-types';

type Job = ResponseOf<'tasks.list'>[number];

export function job(overrides: Partial<Job> & { id: string }): Job {
  return {
    kind: 'backup',
    title: `Job ${overrides.id}`,
    scope: {},
    origin: 'user',
    urgent: false,
    state: 'queued',
    progress: { phase: 'queued', done: 0 },
    counts: {},
    log: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    params: {},
    ...overrides,
  };
}

export function summary(id: string, displayName = `Contact ${id}`): ContactSummaryView {
  return {
    id,
    userKey: 'acc/user',
    displayName,
    folderIds: [],
    hasPhoto: false,
    deleted: false,
    versions: 1,
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** A contact that uses every field of the model, each with a value that appears nowhere else. */
export function fullDetails(): ContactDetailsView {
  return {
    summary: { ...summary('c-full', 'Ada Lovelace'), hasPhoto: true, versions: 2, deleted: true },
    sourceId: 'people/c-full-source',
    photoDataUrl: 'data:image/png;base64,iVBORw0KGgo=',
    folderNames: ['Mathematicians', 'Starred'],
    versions: [
      { snapshotId: 'snap-1', from: '2025-01-01T10:00:00.000Z', until: '2025-06-01T10:00:00.000Z' },
      { snapshotId: 'snap-2', from: '2025-06-01T10:00:00.000Z', deletedAt: '2025-09-01T10:00:00.000Z' },
    ],
    contact: {
      displayName: 'Ada Lovelace',
      name: {
        prefix: 'Countess',
        given: 'Augusta',
        middle: 'Ada',
        family: 'King',
        suffix: 'FRS-hon',
        phoneticGiven: 'o-GUS-ta',
        phoneticMiddle: 'AY-da',
        phoneticFamily: 'KING-phon',
      },
      nicknames: ['Enchantress of Numbers'],
      fileAs: 'King, Augusta Ada',
      emails: [
        { value: 'ada@analytical.example', type: 'work', primary: true },
        { value: 'ada.home@example.org', type: 'home' },
      ],
      phones: [
        { value: '+44 20 7946 0018', type: 'mobile' },
        { value: '+44 20 7946 0999', type: 'other', label: 'Babbage line' },
      ],
      addresses: [
        {
          type: 'home',
          street: '12 St James Square',
          extended: 'Flat 2',
          poBox: 'PO-77',
          city: 'London',
          region: 'Westminster',
          postalCode: 'SW1Y 4JH',
          country: 'United Kingdom',
          countryCode: 'GB',
          formatted: '12 St James Square, London',
          primary: true,
        },
      ],
      urls: [{ value: 'https://ada.example/notes', type: 'blog' }],
      organizations: [
        {
          name: 'Analytical Engine Society',
          department: 'Notes Department',
          title: 'Translator',
          location: 'Room 42',
          profession: 'Mathematician',
        },
      ],
      birthday: { month: 12, day: 10 },
      events: [{ type: 'anniversary', date: { year: 1835, month: 7, day: 8 } }],
      notes: 'Wrote the first published algorithm.',
      relations: [{ name: 'William King', type: 'spouse' }],
      imAddresses: [{ value: 'ada@xmpp.example', type: 'xmpp' }],
      sipAddresses: [{ value: 'sip:ada@voip.example' }],
      customFields: [{ key: 'Engine', value: 'Analytical' }],
      folderIds: ['grp-math', 'starred'],
      photo: { hash: 'ab'.repeat(32), mediaType: 'image/png' },
      gender: 'female',
      extra: { 'google.externalIds': [{ value: 'EXT-314' }] },
    },
  };
}
