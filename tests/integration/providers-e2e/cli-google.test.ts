/**
 * The whole app against the Google fake, through the real CLI in a child process: sign-in in the
 * "browser", a full then an incremental backup, and Restore All into the emptied account (twice).
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle, type SeedPerson } from '../../fakes/google/fake-google';
import { googleRedirectBrowser, runCliWithSignIn } from '../../support/fake-browser';
import { runCli, runCliJson, type ListedContact, type RestoreJob } from '../../support/run-cli';
import type { RestorePlanView } from '../../../main/core/contract/contract-types';
import { removeTempDirs, tempDir } from '../../support/temp-dir';
import { jpeg } from '../google/helpers';

afterAll(removeTempDirs);

const EMAIL = 'ada@example.com';
const CLIENT_ID = 'cli-e2e.apps.googleusercontent.com';

function person(index: number): SeedPerson {
  return {
    names: [{ givenName: `Given${index}`, familyName: 'Lovelace', middleName: 'M' }],
    nicknames: [{ value: `Nick${index}` }],
    emailAddresses: [
      { value: `home${index}@example.org`, type: 'home' },
      { value: `work${index}@example.org`, type: 'work' },
    ],
    phoneNumbers: [
      { value: `+44 20 7946 0${String(index).padStart(3, '0')}`, type: 'mobile' },
      { value: '+44 20 7946 0999', type: 'work' },
    ],
    addresses: [
      {
        type: 'home',
        streetAddress: `${index} St James's Square`,
        city: 'London',
        postalCode: 'SW1Y 4JU',
        country: 'United Kingdom',
        countryCode: 'GB',
      },
    ],
    organizations: [{ name: 'Analytical Engines', title: 'Programmer', department: 'Notes' }],
    birthdays: [{ date: { year: 1815, month: 12, day: 10 } }],
    biographies: [{ value: `Notes about ${index}\nsecond line`, contentType: 'TEXT_PLAIN' }],
    relations: [{ person: 'Charles', type: 'friend' }],
    userDefined: [{ key: 'Engine', value: `No. ${index}` }],
    urls: [{ value: `https://example.org/${index}`, type: 'homePage' }],
  };
}

/** A contact as the fake renders it, without what a re-creation legitimately changes. */
function comparable(fake: FakeGoogle, rendered: Record<string, unknown>): Record<string, unknown> {
  const groupNames = new Map(
    fake.groups(EMAIL).map((group) => [group.resourceName as string, group.name as string]),
  );
  const result: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(rendered)) {
    if (['resourceName', 'etag', 'metadata', 'photos'].includes(field)) continue;
    if (field === 'clientData') {
      // The restore's own identity entry is bookkeeping; the person's other clientData must match.
      const own = (value as { key?: string }[]).filter((item) => item.key !== 'contactsBackupRestoreId');
      if (own.length)
        result[field] = own.map(({ metadata: _metadata, ...rest }: Record<string, unknown>) => rest);
      continue;
    }
    if (field === 'memberships') {
      result.groups = (value as { contactGroupMembership?: { contactGroupResourceName: string } }[])
        .map((item) => item.contactGroupMembership?.contactGroupResourceName ?? '')
        .map((name) => groupNames.get(name) ?? name)
        .sort();
      continue;
    }
    result[field] = Array.isArray(value)
      ? value.map((item: Record<string, unknown>) => {
          const { metadata: _metadata, ...rest } = item;
          // The app writes the display name as unstructuredName (Google's real API always returns
          // one); the fake returns it only when it was written.
          if (field === 'names' && rest.unstructuredName === rest.displayName) delete rest.unstructuredName;
          return rest;
        })
      : value;
  }
  return result;
}

/** Every live contact at the fake, keyed by its first email (unique in these tests). */
function snapshot(fake: FakeGoogle): Map<string, { fields: Record<string, unknown>; photo?: Buffer }> {
  const result = new Map<string, { fields: Record<string, unknown>; photo?: Buffer }>();
  for (const resourceName of fake.contactNames(EMAIL)) {
    const rendered = fake.contact(EMAIL, resourceName)!;
    const key = (rendered.emailAddresses as { value: string }[] | undefined)?.[0]?.value ?? resourceName;
    result.set(key, { fields: comparable(fake, rendered), photo: fake.photoOf(EMAIL, resourceName) });
  }
  return result;
}

describe('contacts-backup CLI against the Google fake', () => {
  let fake: FakeGoogle;
  beforeEach(async () => {
    fake = await startFakeGoogle();
    fake.addUser(EMAIL, { name: 'Ada Lovelace' });
    fake.setBrowserUser(EMAIL);
  });
  afterEach(async () => fake.close());

  it('signs in, backs up fully then incrementally, and restores an emptied account once', async () => {
    const family = fake.addGroup(EMAIL, 'Family');
    const club = fake.addGroup(EMAIL, 'Engine club');
    const names: string[] = [];
    for (let index = 0; index < 10; index += 1) {
      const groups = ['contactGroups/myContacts'];
      if (index % 2) groups.push(family);
      if (index % 3 === 0) groups.push(club);
      if (index === 4) groups.push('contactGroups/starred');
      names.push(
        fake.addContact(EMAIL, person(index), {
          groups,
          photo: index % 3 === 1 ? jpeg(index, 200 + index * 10) : undefined,
        }),
      );
    }

    const home = await tempDir();
    expect((await runCli(home, ['init'])).code).toBe(0);
    const browser = googleRedirectBrowser();
    const { endpoints } = fake;
    const added = await runCliWithSignIn(
      home,
      [
        'account',
        'add',
        'google',
        '--client-id',
        CLIENT_ID,
        '--root-url',
        endpoints.rootUrl,
        '--auth-url',
        endpoints.authUrl,
        '--token-url',
        endpoints.tokenUrl,
        '--no-browser',
      ],
      browser,
      // Client secrets never go on the command line (issue 18 item 7).
      { CONTACTS_BACKUP_CLIENT_SECRET: 'not-so-secret' },
    );
    expect(added.browserError).toBeUndefined();
    expect(added.stderr).toContain(`Sign in at: ${endpoints.authUrl}?`);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/Added account \w+ \(ada@example\.com\) with 1 user\./);
    expect(new URL(added.signInUrl!).searchParams.get('code_challenge_method')).toBe('S256');
    expect(fake.requestsOf('oauth.token').some((request) => request.status === 200)).toBe(true);

    const first = await runCli(home, ['backup']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/10 added, 0 changed, 0 deleted at source, 0 unchanged/);
    const afterFirst = await runCliJson<ListedContact[]>(home, ['contacts', 'list']);
    expect(afterFirst).toHaveLength(10);
    expect(afterFirst.filter((item) => item.contact.photo)).toHaveLength(3);

    const original = snapshot(fake);
    // Changes at the source: one added, one edited, one deleted, one new photo.
    const addedName = fake.addContact(EMAIL, person(10), { groups: [family] });
    fake.editContact(EMAIL, names[2], { biographies: [{ value: 'Edited note', contentType: 'TEXT_PLAIN' }] });
    fake.deleteContact(EMAIL, names[5]);
    fake.setPhoto(EMAIL, names[6], jpeg(66, 321));
    const second = await runCli(home, ['backup']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/1 added, 2 changed, 1 deleted at source, 7 unchanged/);
    const listed = await runCliJson<ListedContact[]>(home, ['contacts', 'list']);
    const bySource = new Map(listed.map((item) => [item.sourceId, item]));
    expect(listed).toHaveLength(11);
    expect(bySource.get(addedName)).toMatchObject({ deleted: false, versions: 1 });
    expect(bySource.get(names[2])).toMatchObject({ deleted: false, versions: 2 });
    expect(bySource.get(names[2])!.contact.notes).toBe('Edited note');
    expect(bySource.get(names[5])).toMatchObject({ deleted: true });
    expect(bySource.get(names[6])).toMatchObject({ deleted: false, versions: 2 });
    expect(listed.filter((item) => item.deleted).map((item) => item.sourceId)).toEqual([names[5]]);

    // Restore All brings back the live contacts and the one deleted at the source (its last version).
    const before = snapshot(fake);
    expect(before.size).toBe(10);
    before.set('home5@example.org', original.get('home5@example.org')!);

    // Empty the account at the source: every contact and every user group gone.
    for (const resourceName of fake.contactNames(EMAIL)) fake.deleteContact(EMAIL, resourceName);
    const user = fake.store.user(EMAIL);
    for (const group of user.groups.values()) {
      if (group.kind !== 'user') continue;
      group.deleted = true;
      fake.store.touchGroup(user, group);
    }
    expect(fake.contactNames(EMAIL)).toEqual([]);
    expect(fake.groups(EMAIL).map((group) => group.name)).not.toContain('Family');

    const preview = await runCliJson<RestorePlanView>(home, [
      'restore',
      '--all',
      '--include-deleted',
      '--mode',
      'overwrite',
      '--preview',
    ]);
    expect(preview).toMatchObject({ create: 11, update: 0, skip: 0 });
    expect(preview.unmappedFields).toEqual([]);
    const restored = await runCliJson<RestoreJob>(home, [
      'restore',
      '--all',
      '--include-deleted',
      '--mode',
      'overwrite',
    ]);
    expect(restored.state).toBe('succeeded');
    expect(restored.result).toMatchObject({
      created: preview.create,
      updated: preview.update,
      skipped: preview.skip,
      failed: 0,
    });

    const after = snapshot(fake);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [key, was] of before) {
      const now = after.get(key)!;
      expect(now.fields, key).toEqual(was.fields);
      if (was.photo) expect(now.photo && Buffer.compare(now.photo, was.photo), key).toBe(0);
      else expect(now.photo, key).toBeUndefined();
    }
    const groupNames = fake.groups(EMAIL).map((group) => group.name);
    expect(groupNames.filter((name) => name === 'Family')).toHaveLength(1);
    expect(groupNames.filter((name) => name === 'Engine club')).toHaveLength(1);

    // A second Restore All overwrites what the first created: nothing new at the source.
    const creates = fake.requestsOf('people.batchCreateContacts').length;
    const again = await runCliJson<RestorePlanView>(home, [
      'restore',
      '--all',
      '--include-deleted',
      '--mode',
      'overwrite',
      '--preview',
    ]);
    expect(again).toMatchObject({ create: 0, update: 11, skip: 0 });
    const rerun = await runCliJson<RestoreJob>(home, [
      'restore',
      '--all',
      '--include-deleted',
      '--mode',
      'overwrite',
    ]);
    expect(rerun.state).toBe('succeeded');
    expect(rerun.result).toMatchObject({ created: 0, updated: again.update, skipped: again.skip, failed: 0 });
    expect(fake.contactNames(EMAIL)).toHaveLength(11);
    expect(fake.requestsOf('people.batchCreateContacts')).toHaveLength(creates);
    expect(fake.groups(EMAIL).filter((group) => group.name === 'Family')).toHaveLength(1);
    const final = snapshot(fake);
    for (const [key, was] of before) expect(final.get(key)?.fields, key).toEqual(was.fields);
  });
});
