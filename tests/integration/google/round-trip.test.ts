import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restoreIdOf } from '../../../main/core/providers/restore-identity';
import type { Contact } from '../../../main/core/contacts/model';
import type { WriteItem } from '../../../main/core/providers/provider';
import { startFakeGoogle, type FakeGoogle, type SeedPerson } from '../../fakes/google/fake-google';
import { jpeg, personalAccount, runSync, workContext } from './helpers';

const source = 'source@example.com';
const target = 'target@example.com';

/** A contact using every field of the backup set (providers.md 1.6), with Google's own extras. */
function richPerson(index: number): SeedPerson {
  return {
    names: [
      {
        givenName: `Given${index}`,
        familyName: 'Family',
        middleName: 'Middle',
        honorificPrefix: 'Dr.',
        honorificSuffix: 'Jr.',
        phoneticGivenName: 'Gi',
        phoneticFamilyName: 'Fa',
        phoneticMiddleName: 'Mi',
        phoneticFullName: 'Gi Mi Fa',
      },
    ],
    nicknames: [{ value: `Nick${index}` }, { value: 'Maiden', type: 'MAIDEN_NAME' }],
    emailAddresses: [
      { value: `home${index}@example.org`, type: 'home', displayName: 'At home' },
      { value: `custom${index}@example.org`, type: 'Side project' },
    ],
    phoneNumbers: [
      { value: '+1 555 0100', type: 'mobile' },
      { value: '+1 555 0101', type: 'workFax' },
      { value: '+1 555 0102', type: 'googleVoice' },
      { value: '+1 555 0103', type: 'Boat' },
    ],
    addresses: [
      {
        type: 'home',
        streetAddress: '1 Main St',
        extendedAddress: 'Apt 2',
        poBox: 'PO 3',
        city: 'Springfield',
        region: 'IL',
        postalCode: '62701',
        country: 'United States',
        countryCode: 'US',
        formattedValue: '1 Main St\nApt 2\nSpringfield IL 62701',
      },
      { type: 'Cabin', city: 'Nowhere' },
    ],
    urls: [
      { value: 'https://example.org/a', type: 'homePage' },
      { value: 'https://example.org/b', type: 'blog' },
    ],
    organizations: [
      {
        name: 'Acme',
        department: 'R&D',
        title: 'Engineer',
        location: 'B2',
        type: 'work',
        jobDescription: 'Builds',
        symbol: 'ACME',
      },
    ],
    birthdays: [
      index % 2
        ? { date: { month: 2, day: 29 } }
        : { date: { year: 1980, month: 5, day: 1 }, text: 'May 1st' },
    ],
    events: [
      { date: { year: 2010, month: 6, day: 12 }, type: 'anniversary' },
      { date: { month: 1, day: 2 }, type: 'Graduation' },
    ],
    biographies: [{ value: `Notes about ${index}\nsecond line`, contentType: 'TEXT_PLAIN' }],
    relations: [
      { person: 'Sam', type: 'spouse' },
      { person: 'Lee', type: 'domesticPartner' },
      { person: 'Kim', type: 'Best friend' },
    ],
    userDefined: [{ key: 'Shoe size', value: '42' }],
    imClients: [
      { username: 'ada.skype', protocol: 'skype', type: 'work' },
      { username: 'ada@jabber.example', protocol: 'jabber' },
      { username: '@ada:matrix.example', protocol: 'matrix' },
    ],
    sipAddresses: [{ value: 'sip:ada@example.org', type: 'work' }],
    externalIds: [{ value: 'EMP-1', type: 'account' }],
    calendarUrls: [{ url: 'https://calendar.example/ada', type: 'freeBusy' }],
    clientData: [{ key: 'app.version', value: '3' }],
    occupations: [{ value: 'Pilot' }],
    interests: [{ value: 'Gliding' }],
    locations: [{ value: 'Desk 4', type: 'desk', buildingId: 'B2' }],
    miscKeywords: [{ value: 'VIP', type: 'OUTLOOK_USER' }],
    genders: [{ value: 'female', addressMeAs: 'she' }],
    locales: [{ value: 'en-GB' }],
  };
}

/** A contact with its folder ids renamed through `map`, to compare across accounts. */
function withFolders(contact: Contact, map: Map<string, string>): Contact {
  return { ...contact, folderIds: contact.folderIds.map((id) => map.get(id) ?? `unmapped:${id}`) };
}

describe('Google round trip: sync → create into an empty account → sync', () => {
  let fake: FakeGoogle;
  beforeEach(async () => {
    fake = await startFakeGoogle();
    fake.addUser(source);
    fake.addUser(target);
  });
  afterEach(async () => fake.close());

  it('gives back every field of every contact, folders and photos byte for byte', async () => {
    const family = fake.addGroup(source, 'Family & friends');
    const club = fake.addGroup(source, 'Glider club');
    for (let index = 0; index < 12; index += 1) {
      const groups = ['contactGroups/myContacts'];
      if (index % 2) groups.push(family);
      if (index % 3 === 0) groups.push(club, 'contactGroups/starred');
      if (index === 5) groups.push('contactGroups/friends');
      fake.addContact(source, richPerson(index), {
        groups,
        photo: index % 4 === 0 ? jpeg(index, 300 + index) : undefined,
      });
    }
    fake.addContact(source, { emailAddresses: [{ value: 'only-an-email@example.org' }] });
    fake.addContact(source, { names: [{ unstructuredName: 'Just A Name' }] });

    const from = personalAccount(fake, source);
    const original = await runSync(from.provider, source, undefined);
    expect(original.upserts.size).toBe(14);

    const to = personalAccount(fake, target);
    const writer = to.provider.writer(target)!;
    const context = workContext();
    const targetFolders = await writer.listFolders(context);
    const folderMap = new Map<string, string>();
    for (const folder of original.batches[0].folders ?? []) {
      const match = folder.system
        ? targetFolders.find((candidate) => candidate.system === folder.system)
        : undefined;
      folderMap.set(folder.id, (match ?? (await writer.createFolder(folder.name, undefined, context))).id);
    }
    const items: WriteItem[] = [];
    for (const [sourceId, item] of original.upserts) {
      items.push({
        key: sourceId,
        restoreId: testRestoreId(sourceId),
        contact: item.contact,
        folderIds: item.contact.folderIds.map((id) => folderMap.get(id) ?? id),
        photo: item.photo ? await item.photo.load() : undefined,
      });
    }
    const results = await writer.create(items, context);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(fake.requestsOf('people.batchCreateContacts')).toHaveLength(1);

    const copy = await runSync(to.provider, target, undefined);
    expect(copy.upserts.size).toBe(14);
    const back = new Map([...folderMap].map(([from, to]) => [to, from]));
    for (const result of results) {
      if (!result.ok) continue;
      const before = original.upserts.get(result.key)!;
      const after = copy.upserts.get(result.targetId)!;
      expect(withFolders(after.contact, back)).toEqual(before.contact);
      if (before.photo) {
        expect(Buffer.from((await after.photo!.load()).bytes)).toEqual(
          Buffer.from((await before.photo.load()).bytes),
        );
      } else {
        expect(after.photo).toBeUndefined();
      }
    }
    // Spot checks that the mapping did carry the fields rather than both sides losing them alike.
    const sample = [...original.upserts.values()].find(
      (item) => item.contact.name.given === 'Given3',
    )!.contact;
    expect(sample.phones.map((phone) => phone.type ?? phone.label)).toEqual([
      'mobile',
      'work-fax',
      'google-voice',
      'Boat',
    ]);
    expect(sample.imAddresses.map((im) => im.type)).toEqual(['skype', 'xmpp', 'matrix']);
    expect(sample.birthday).toEqual({ month: 2, day: 29 });
    expect(sample.extra['google.locations']).toEqual([{ value: 'Desk 4', type: 'desk', buildingId: 'B2' }]);
    expect(sample.folderIds).toEqual(['contactGroups/myContacts', family, club, 'contactGroups/starred']);
    expect(sample.extra['google.itemDetails']).toMatchObject({
      organizations: [{ type: 'work', jobDescription: 'Builds', symbol: 'ACME' }],
      emailAddresses: [{ displayName: 'At home' }, null],
      names: [{ phoneticFullName: 'Gi Mi Fa' }],
    });
    const five = [...original.upserts.values()].find((item) => item.contact.name.given === 'Given5')!.contact;
    expect(five.folderIds).not.toContain('contactGroups/friends');
  });
});

/** A restore id per test item, as the restore engine would give it. */
function testRestoreId(key: string): string {
  return restoreIdOf('test-run', key);
}
