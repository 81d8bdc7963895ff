import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restoreIdOf } from '../../../main/core/providers/restore-identity';
import { emptyContact, type Contact } from '../../../main/core/contacts/model';
import type { WriteItem } from '../../../main/core/providers/provider';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google/fake-google';
import { jpeg, personalAccount, workContext } from './helpers';

const email = 'bob@example.com';

function contactNamed(given: string, extra: Partial<Contact> = {}): Contact {
  return { ...emptyContact(given), name: { given }, ...extra };
}

describe('Google writer against the fake', () => {
  let fake: FakeGoogle;
  beforeEach(async () => {
    fake = await startFakeGoogle();
    fake.addUser(email);
  });
  afterEach(async () => fake.close());

  it('creates everything into an empty account in batches of 200, with groups and photos', async () => {
    const { provider } = personalAccount(fake, email);
    const writer = provider.writer(email)!;
    const context = workContext();
    const team = await writer.createFolder('Team', undefined, context);
    const items: WriteItem[] = Array.from({ length: 450 }, (_, index) => ({
      key: `k${index}`,
      restoreId: testRestoreId(`k${index}`),
      contact: contactNamed(`Person${index}`, { emails: [{ value: `p${index}@example.org`, type: 'home' }] }),
      folderIds: index % 2 ? ['contactGroups/myContacts', team.id] : [],
      photo: index % 100 === 0 ? { mediaType: 'image/jpeg', bytes: jpeg(index) } : undefined,
    }));
    const results = await writer.create(items, context);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(results.map((result) => result.key)).toEqual(items.map((item) => item.key));
    const calls = fake.requestsOf('people.batchCreateContacts');
    expect(calls).toHaveLength(3);
    expect(fake.contactNames(email)).toHaveLength(450);
    const ids = results.map((result) => (result.ok ? result.targetId : ''));
    const odd = fake.contact(email, ids[1]) as {
      memberships: { contactGroupMembership: { contactGroupResourceName: string } }[];
    };
    expect(odd.memberships.map((m) => m.contactGroupMembership.contactGroupResourceName)).toEqual([
      'contactGroups/myContacts',
      team.id,
    ]);
    const even = fake.contact(email, ids[0]) as typeof odd;
    expect(even.memberships.map((m) => m.contactGroupMembership.contactGroupResourceName)).toEqual([
      'contactGroups/myContacts',
    ]);
    expect(fake.photoOf(email, ids[100])).toEqual(jpeg(100));
    expect(fake.requestsOf('people.updateContactPhoto')).toHaveLength(5);
    expect(fake.maxConcurrentWrites).toBe(1);
  });

  it('updates contacts that still exist using their etag, recreates deleted ones and clears dropped photos', async () => {
    const kept = fake.addContact(
      email,
      { names: [{ givenName: 'Old' }], phoneNumbers: [{ value: '1' }] },
      { photo: jpeg(1) },
    );
    const gone = fake.addContact(email, { names: [{ givenName: 'Gone' }] });
    fake.deleteContact(email, gone);
    const { provider } = personalAccount(fake, email);
    const writer = provider.writer(email)!;
    const context = workContext();
    expect(await writer.existing([kept, gone], context)).toEqual(new Set([kept]));
    const results = await writer.update(
      [
        {
          key: 'a',
          restoreId: testRestoreId('a'),
          targetId: kept,
          contact: contactNamed('Restored', { notes: 'back' }),
          folderIds: [],
        },
        {
          key: 'b',
          restoreId: testRestoreId('b'),
          targetId: gone,
          contact: contactNamed('Recreated'),
          folderIds: ['contactGroups/starred'],
        },
      ],
      context,
    );
    expect(results[0]).toEqual({ key: 'a', ok: true, targetId: kept });
    expect(results[1]).toMatchObject({ key: 'b', ok: true });
    const recreated = results[1].ok ? results[1].targetId : '';
    expect(recreated).not.toBe(gone);
    const updated = fake.contact(email, kept) as Record<string, unknown>;
    expect(updated.names).toMatchObject([{ givenName: 'Restored' }]);
    expect(updated.phoneNumbers).toBeUndefined();
    expect(updated.biographies).toMatchObject([{ value: 'back' }]);
    expect(fake.photoOf(email, kept)).toBeUndefined();
    expect(fake.contact(email, recreated)?.names).toMatchObject([{ givenName: 'Recreated' }]);
    const update = fake.requestsOf('people.batchUpdateContacts');
    expect(update).toHaveLength(1);
  });

  it('re-reads and retries when the etag went stale between read and write', async () => {
    const target = fake.addContact(email, { names: [{ givenName: 'Before' }] });
    const { provider } = personalAccount(fake, email);
    fake.addFault({
      op: 'people.batchUpdateContacts',
      action: {
        kind: 'before',
        run: () => fake.editContact(email, target, { nicknames: [{ value: 'racing edit' }] }),
      },
    });
    const results = await provider.writer(email)!.update(
      [
        {
          key: 'x',
          restoreId: testRestoreId('x'),
          targetId: target,
          contact: contactNamed('After'),
          folderIds: [],
        },
      ],
      workContext(),
    );
    expect(results).toEqual([{ key: 'x', ok: true, targetId: target }]);
    const calls = fake.requestsOf('people.batchUpdateContacts');
    expect(calls.map((call) => call.status)).toEqual([400, 200]);
    expect(fake.contact(email, target)?.names).toMatchObject([{ givenName: 'After' }]);
    expect(fake.contact(email, target)?.nicknames).toBeUndefined();
  });

  it('retries throttled POSTs itself (gaxios does not), honouring Retry-After', async () => {
    const waits: number[] = [];
    const { provider } = personalAccount(fake, email, {
      deps: {
        sleep: async (ms) => {
          waits.push(ms);
          fake.advance(ms);
        },
      },
    });
    fake.addFault({
      op: 'people.batchCreateContacts',
      times: 2,
      action: { kind: 'status', status: 429, retryAfterSeconds: 7 },
    });
    const results = await provider
      .writer(email)!
      .create(
        [{ key: 'k', restoreId: testRestoreId('k'), contact: contactNamed('T'), folderIds: [] }],
        workContext(),
      );
    expect(results[0].ok).toBe(true);
    expect(fake.requestsOf('people.batchCreateContacts').map((call) => call.status)).toEqual([429, 429, 200]);
    expect(waits.every((ms) => ms >= 7000)).toBe(true);
  });

  it('reuses an existing group when a folder name is taken (409)', async () => {
    const { provider } = personalAccount(fake, email);
    const writer = provider.writer(email)!;
    const first = await writer.createFolder('Clients', undefined, workContext());
    const again = await writer.createFolder('Clients', undefined, workContext());
    expect(again).toEqual(first);
    expect(fake.requestsOf('contactGroups.create').map((call) => call.status)).toEqual([200, 409]);
    const folders = await writer.listFolders(workContext());
    expect(folders.map((folder) => folder.name)).toEqual(['My Contacts', 'Starred', 'Clients']);
  });

  it('keeps one user’s mutations strictly sequential even when called concurrently', async () => {
    const { provider } = personalAccount(fake, email);
    const writer = provider.writer(email)!;
    const batch = (prefix: string) =>
      Array.from({ length: 5 }, (_, index) => ({
        key: `${prefix}${index}`,
        restoreId: testRestoreId(`${prefix}${index}`),
        contact: contactNamed(`${prefix}${index}`),
        folderIds: [],
        photo: { mediaType: 'image/jpeg', bytes: jpeg(index) },
      }));
    const results = await Promise.all([
      writer.create(batch('a'), workContext()),
      writer.create(batch('b'), workContext()),
    ]);
    expect(results.flat().every((result) => result.ok)).toBe(true);
    expect(fake.maxConcurrentWrites).toBe(1);
  });

  it('isolates a contact Google refuses instead of failing its whole batch', async () => {
    const { provider } = personalAccount(fake, email);
    const items: WriteItem[] = [
      { key: 'good', restoreId: testRestoreId('good'), contact: contactNamed('Good'), folderIds: [] },
      {
        key: 'bad',
        restoreId: testRestoreId('bad'),
        contact: contactNamed('Bad'),
        folderIds: ['contactGroups/doesNotExist'],
      },
    ];
    const results = await provider.writer(email)!.create(items, workContext());
    expect(results[0]).toMatchObject({ key: 'good', ok: true });
    expect(results[1]).toMatchObject({ key: 'bad', ok: false, retryable: false });
    expect(results[1].ok ? '' : results[1].error).toBe('Google rejected the request.');
  });

  it('names what Google cannot hold', () => {
    const { provider } = personalAccount(fake, email);
    const contact: Contact = {
      ...contactNamed('X'),
      fileAs: 'X, Y',
      organizations: [{ name: 'Org', profession: 'Pilot' }],
      extra: { 'microsoft.children': ['Kim'], 'google.clientData': [] },
    };
    expect(provider.writer(email)!.unsupportedFields(contact)).toEqual([
      'fileAs',
      'organizations[0].profession',
      'extra.microsoft.children',
    ]);
  });
});

/** A restore id per test item, as the restore engine would give it. */
function testRestoreId(key: string): string {
  return restoreIdOf('test-run', key);
}
