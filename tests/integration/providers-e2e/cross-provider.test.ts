/**
 * Cross-provider restores through the whole app core (createApp, the real sign-ins, backup and restore
 * jobs) against both fakes: Google → Microsoft and Microsoft → Google, the preview's list of what the
 * target cannot hold, and a restore that dies half way and is resumed without duplicates.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type AppCore } from '../../../main/core/app';
import type { Contact } from '../../../main/core/contacts/model';
import { userKeyOf } from '../../../main/core/history/types';
import type { JobRecord } from '../../../main/core/jobs/types';
import { addGoogleAccount, addMicrosoftAccount } from '../../../main/core/session/account-service';
import { enqueueBackup } from '../../../main/core/session/backup-service';
import type { ProfileSession } from '../../../main/core/session/profile-session';
import { enqueueRestore, previewRestore } from '../../../main/core/session/restore-service';
import { startFakeGoogle, type FakeGoogle, type SeedPerson } from '../../fakes/google/fake-google';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../fakes/graph/fake-microsoft';
import type { Mailbox } from '../../fakes/graph/mailbox';
import { googleRedirectBrowser, microsoftBrowser } from '../../support/fake-browser';
import { removeTempDirs, tempDir } from '../../support/temp-dir';
import { fakeSettings, jpeg as googleJpeg } from '../google/helpers';
import { CLIENT_ID, jpeg as graphJpeg, personalSettings } from '../microsoft/harness';

afterAll(removeTempDirs);

const GMAIL = 'ada@example.com';
const OUTLOOK = 'grace@outlook.com';

interface RestoreReport {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  unmappedFields: string[];
}

/** What both Google and Graph hold, in a form that does not depend on the provider's types and order. */
function essentials(contact: Contact) {
  const organization = contact.organizations[0];
  return {
    given: contact.name.given,
    family: contact.name.family,
    middle: contact.name.middle,
    emails: contact.emails.map((email) => email.value),
    phones: contact.phones.map((phone) => phone.value).sort(),
    addresses: contact.addresses.map((address) => ({
      street: address.street,
      city: address.city,
      region: address.region,
      postalCode: address.postalCode,
      country: address.country,
    })),
    organization: organization && {
      name: organization.name,
      title: organization.title,
      department: organization.department,
    },
    birthday: contact.birthday && {
      year: contact.birthday.year,
      month: contact.birthday.month,
      day: contact.birthday.day,
    },
    notes: contact.notes,
    photo: contact.photo?.hash,
  };
}

function googlePerson(index: number): SeedPerson {
  return {
    names: [{ givenName: `Given${index}`, familyName: 'Lovelace', middleName: 'King' }],
    emailAddresses: [
      { value: `home${index}@example.org`, type: 'home' },
      { value: `work${index}@example.org`, type: 'work' },
    ],
    phoneNumbers: [
      { value: `+44 20 7946 0${String(index).padStart(3, '0')}`, type: 'mobile' },
      { value: '+44 20 7946 0999', type: 'work' },
      { value: '+44 20 7946 0888', type: 'home' },
    ],
    addresses: [
      {
        type: 'home',
        streetAddress: `${index} St James's Square`,
        city: 'London',
        region: 'Westminster',
        postalCode: 'SW1Y 4JU',
        country: 'United Kingdom',
      },
      { type: 'work', streetAddress: '1 Engine Row', city: 'Cambridge', postalCode: 'CB2 1TN' },
    ],
    organizations: [{ name: 'Analytical Engines', title: 'Programmer', department: 'Notes' }],
    birthdays: [{ date: { year: 1815, month: 12, day: 10 + (index % 5) } }],
    biographies: [{ value: `Notes about ${index}\nsecond line`, contentType: 'TEXT_PLAIN' }],
  };
}

function graphContact(index: number): Record<string, unknown> {
  return {
    givenName: `Grace${index}`,
    surname: 'Hopper',
    middleName: 'Brewster',
    displayName: `Grace${index} Brewster Hopper`,
    emailAddresses: [
      { name: `Grace${index}`, address: `grace${index}@navy.example` },
      { name: 'Work', address: `g${index}@cobol.example` },
    ],
    businessPhones: [`+1 555 01${String(index).padStart(2, '0')}`],
    homePhones: ['+1 555 0200'],
    mobilePhone: `+1 555 10${String(index).padStart(2, '0')}`,
    homeAddress: {
      street: `${index} Main St`,
      city: 'Arlington',
      state: 'VA',
      postalCode: '22201',
      countryOrRegion: 'USA',
    },
    companyName: 'US Navy',
    jobTitle: 'Rear Admiral',
    department: 'Computing',
    birthday: `1906-12-${String(9 + (index % 5)).padStart(2, '0')}T11:59:00Z`,
    personalNotes: `Note ${index}\nline two`,
  };
}

async function runJob(session: ProfileSession, job: JobRecord): Promise<JobRecord> {
  return session.jobs.wait(job.id);
}

async function backup(session: ProfileSession, userKey: string): Promise<JobRecord> {
  const done = await runJob(session, enqueueBackup(session, { userKey }, 'cli', true).job);
  expect(done.state, done.error?.message).toBe('succeeded');
  return done;
}

/** The live contacts of a user as the backup holds them. */
function backedUp(session: ProfileSession, userKey: string): Contact[] {
  return [...session.history.index.contactsAt(new Set([userKey]))]
    .filter((state) => !state.deleted)
    .map((state) => state.version.contact);
}

function byFirstEmail(contacts: readonly Contact[]): Map<string, Contact> {
  return new Map(contacts.map((contact) => [contact.emails[0]?.value ?? contact.displayName, contact]));
}

describe('cross-provider restore through the app core', () => {
  let google: FakeGoogle;
  let microsoft: FakeMicrosoft;
  let mailbox: Mailbox;
  let app: AppCore;
  let session: ProfileSession;
  let googleKey: string;
  let microsoftKey: string;

  beforeEach(async () => {
    google = await startFakeGoogle();
    google.addUser(GMAIL, { name: 'Ada Lovelace' });
    google.setBrowserUser(GMAIL);
    microsoft = await startFakeMicrosoft();
    microsoft.registerApp(CLIENT_ID);
    mailbox = microsoft.addMailbox(OUTLOOK, { displayName: 'Grace Hopper' });
    microsoft.state.signInEmail = OUTLOOK;
    const googleBrowser = googleRedirectBrowser();
    const graphBrowser = microsoftBrowser(microsoft);
    app = createApp({
      home: await tempDir(),
      host: 'cli',
      openBrowser: {
        open: (url) => (url.startsWith(google.origin()) ? googleBrowser.open(url) : graphBrowser.open(url)),
      },
    });
    session = await app.createProfile('Tester', 'test password 1');
    const googleAccount = await addGoogleAccount(session, fakeSettings(google));
    googleKey = userKeyOf(googleAccount.id, googleAccount.users[0].id);
    const microsoftAccount = await addMicrosoftAccount(session, personalSettings(microsoft));
    microsoftKey = userKeyOf(microsoftAccount.id, microsoftAccount.users[0].id);
    expect(googleBrowser.seen).toHaveLength(1);
    expect(graphBrowser.urls).toHaveLength(1);
  });

  afterEach(async () => {
    await app.lock();
    await google.close();
    await microsoft.close();
  });

  it('restores a Google backup into a Microsoft mailbox, listing what Graph cannot hold', async () => {
    for (let index = 0; index < 6; index += 1) {
      google.addContact(GMAIL, googlePerson(index), {
        photo: index % 2 ? googleJpeg(index, 400 + index) : undefined,
      });
    }
    // More than Graph holds: a 4th email, relations Graph has no field for, user-defined fields.
    google.addContact(GMAIL, {
      ...googlePerson(6),
      emailAddresses: [1, 2, 3, 4].map((n) => ({ value: `many${n}@example.org`, type: 'other' })),
      relations: [
        { person: 'Charles', type: 'friend' },
        { person: 'William', type: 'spouse' },
      ],
      userDefined: [{ key: 'Engine', value: 'Difference' }],
    });
    await backup(session, googleKey);
    const source = backedUp(session, googleKey);
    expect(source).toHaveLength(7);

    const request = { userKey: googleKey, scope: 'all' as const, target: microsoftKey };
    const preview = await previewRestore(session, request);
    expect(preview).toMatchObject({ create: 7, update: 0, skip: 0 });
    // One line per contact that loses something, naming it, with repeats counted.
    expect(preview.unmappedFields).toHaveLength(
      new Set(preview.unmappedFields.map((line) => line.split(':')[0])).size,
    );
    const many = preview.unmappedFields.find((line) =>
      line.includes('emails (Graph keeps 3 email addresses)'),
    );
    expect(many).toMatch(/^[^:]+: /);
    expect(many).toContain('relations (friend)');
    expect(many).toContain('customFields');
    expect(many).not.toContain('spouse');
    const job = await runJob(session, enqueueRestore(session, request, 'cli'));
    expect(job.state, job.error?.message).toBe('succeeded');
    const report = job.result as RestoreReport;
    expect(report).toMatchObject({ created: 7, updated: 0, skipped: 0, failed: 0 });
    expect(report.unmappedFields).toEqual(preview.unmappedFields);
    expect(mailbox.contacts.size).toBe(7);
    expect(mailbox.photos.size).toBe(3);

    await backup(session, microsoftKey);
    const arrived = byFirstEmail(backedUp(session, microsoftKey));
    expect(arrived.size).toBe(7);
    for (const contact of source) {
      const copy = arrived.get(contact.emails[0].value);
      expect(copy, contact.displayName).toBeDefined();
      const expected = essentials(contact);
      if (contact.emails.length > 3) expected.emails = expected.emails.slice(0, 3);
      expect(essentials(copy!), contact.displayName).toEqual(expected);
    }
    const spouse = [...arrived.values()].find((contact) => contact.emails[0].value === 'many1@example.org');
    expect(spouse?.relations).toEqual([{ name: 'William', type: 'spouse' }]);
  });

  it('restores a Microsoft backup into a Google account', async () => {
    const folder = microsoft.addFolder(mailbox, 'Navy');
    for (let index = 0; index < 6; index += 1) {
      const id = microsoft.addContact(mailbox, graphContact(index), index % 2 ? folder : undefined);
      if (index % 3 === 0) microsoft.setPhoto(mailbox, id, graphJpeg(index, 900 + index));
    }
    await backup(session, microsoftKey);
    const source = backedUp(session, microsoftKey);
    expect(source).toHaveLength(6);

    const request = { userKey: microsoftKey, scope: 'all' as const, target: googleKey };
    const preview = await previewRestore(session, request);
    expect(preview).toMatchObject({ create: 6, update: 0, skip: 0 });
    const job = await runJob(session, enqueueRestore(session, request, 'cli'));
    expect(job.state, job.error?.message).toBe('succeeded');
    const report = job.result as RestoreReport;
    expect(report).toMatchObject({ created: 6, updated: 0, skipped: 0, failed: 0 });
    expect(report.unmappedFields).toEqual(preview.unmappedFields);
    expect(google.contactNames(GMAIL)).toHaveLength(6);

    await backup(session, googleKey);
    const arrived = byFirstEmail(backedUp(session, googleKey));
    expect(arrived.size).toBe(6);
    for (const contact of source) {
      const copy = arrived.get(contact.emails[0].value);
      expect(copy, contact.displayName).toBeDefined();
      expect(essentials(copy!), contact.displayName).toEqual(essentials(contact));
    }
    expect([...arrived.values()].filter((contact) => contact.photo)).toHaveLength(2);
  });

  it('resumes a restore that died half way with exactly one copy of each contact', async () => {
    const total = 230;
    for (let index = 0; index < total; index += 1) {
      google.addContact(GMAIL, {
        names: [{ givenName: `Bulk${index}`, familyName: 'Contact' }],
        emailAddresses: [{ value: `bulk${index}@example.org` }],
      });
    }
    await backup(session, googleKey);
    expect(backedUp(session, googleKey)).toHaveLength(total);

    // Graph falls over after 7 $batch calls (20 contacts each): the 8th and every later one get 503s.
    microsoft.addFault({
      kind: 'unavailable',
      match: /^POST \/\$batch$/,
      inBatch: false,
      retryAfter: 0,
      skip: 7,
      times: Infinity,
    });
    const request = { userKey: googleKey, scope: 'all' as const, target: microsoftKey };
    const failed = await runJob(session, enqueueRestore(session, request, 'cli'));
    expect(failed.state).toBe('failed');
    expect(failed.error?.retryable).toBe(true);
    expect(mailbox.contacts.size).toBe(140);

    microsoft.clearFaults();
    const resumed = await runJob(session, session.jobs.retry(failed.id, 'cli').job);
    expect(resumed.state, resumed.error?.message).toBe('succeeded');
    // The resume writes only the 90 the journal does not show as written; the run's report counts
    // all 230 as created by this restore (the preview said 230), none twice.
    expect(resumed.result).toMatchObject({ created: total, skipped: 0, failed: 0 });
    expect(resumed.log.map((line) => line.text).join('\n')).toMatch(
      /Resuming: written before the interruption, 140 contacts /,
    );
    const emails = [...mailbox.contacts.values()].map(
      (contact) => (contact.props.emailAddresses as { address: string }[])[0].address,
    );
    expect(new Set(emails).size).toBe(total);
    expect(emails).toHaveLength(total);
    // Everything went into one "Restored …" folder, not one per attempt.
    expect(new Set([...mailbox.contacts.values()].map((contact) => contact.folderId)).size).toBe(1);
  });
});
