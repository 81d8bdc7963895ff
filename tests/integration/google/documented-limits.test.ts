import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google/fake-google';
import { profileKey } from '../../../main/core/providers/google/people-mapping';
import { jpeg, personalAccount, runSync, workContext } from './helpers';
import { restoreIdOf } from '../../../main/core/providers/restore-identity';

const email = 'ada@example.com';

function manyEmails(count: number): { value: string; type: string }[] {
  return Array.from({ length: count }, (_, index) => ({ value: `mail${index}@example.org`, type: 'work' }));
}

describe('Google: what connections.list leaves out, and linked profiles', () => {
  let fake: FakeGoogle;
  beforeEach(async () => {
    fake = await startFakeGoogle();
    fake.addUser(email);
  });
  afterEach(async () => fake.close());

  it('the fake caps emails and phones at 100 in connections.list, and people.get returns all', async () => {
    const name = fake.addContact(email, {
      names: [{ givenName: 'Many' }],
      emailAddresses: manyEmails(102),
      phoneNumbers: Array.from({ length: 101 }, (_, index) => ({ value: `+1 555 ${1000 + index}` })),
    });
    const origin = fake.origin();
    const token = fake.oauth.grantRefreshToken(email, 'x', ['https://www.googleapis.com/auth/contacts']);
    const access = fake.oauth.token(
      new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, client_id: 'x' }),
    ).access_token as string;
    const headers = { authorization: `Bearer ${access}` };
    const listed = (await (
      await fetch(`${origin}/v1/people/me/connections?personFields=emailAddresses,phoneNumbers`, { headers })
    ).json()) as { connections: { emailAddresses: unknown[]; phoneNumbers: unknown[] }[] };
    expect(listed.connections[0].emailAddresses).toHaveLength(100);
    expect(listed.connections[0].phoneNumbers).toHaveLength(100);
    const single = (await (
      await fetch(`${origin}/v1/${name}?personFields=emailAddresses,phoneNumbers`, { headers })
    ).json()) as { emailAddresses: unknown[]; phoneNumbers: unknown[] };
    expect(single.emailAddresses).toHaveLength(102);
    expect(single.phoneNumbers).toHaveLength(101);
  });

  it('reads a person that reaches the list cap in full with getBatchGet, on full and incremental syncs', async () => {
    const capped = fake.addContact(email, {
      names: [{ givenName: 'Many' }],
      emailAddresses: manyEmails(102),
    });
    const small = fake.addContact(email, { names: [{ givenName: 'Few' }], emailAddresses: manyEmails(2) });
    const { provider } = personalAccount(fake, email);
    const first = await runSync(provider, email, undefined);
    expect(first.upserts.get(capped)?.contact.emails).toHaveLength(102);
    expect(first.upserts.get(capped)?.contact.emails[101].value).toBe('mail101@example.org');
    expect(first.upserts.get(small)?.contact.emails).toHaveLength(2);
    const batchGets = fake.requestsOf('people.getBatchGet');
    expect(batchGets).toHaveLength(1);
    expect(batchGets[0].query.getAll('resourceNames')).toEqual([capped]);

    fake.editContact(email, capped, { emailAddresses: manyEmails(103) });
    const second = await runSync(provider, email, first.outcome.cursor);
    expect(second.outcome.full).toBe(false);
    expect(second.upserts.get(capped)?.contact.emails).toHaveLength(103);
  });

  it('asks getBatchGet for at most 200 people a call', async () => {
    for (let index = 0; index < 201; index += 1)
      fake.addContact(email, { names: [{ givenName: `P${index}` }], emailAddresses: manyEmails(100) });
    const { provider } = personalAccount(fake, email, { deps: { pageSize: 1000 } });
    const run = await runSync(provider, email, undefined);
    expect([...run.upserts.values()].every((item) => item.contact.emails.length === 100)).toBe(true);
    const sizes = fake.requestsOf('people.getBatchGet').map((r) => r.query.getAll('resourceNames').length);
    expect(sizes).toEqual([200, 1]);
  });

  it('keeps a linked profile’s email and photo apart and never writes them back as contact data', async () => {
    const linked = fake.addContact(email, {
      names: [{ givenName: 'Grace' }],
      emailAddresses: [{ value: 'grace@contact.example', type: 'home' }],
    });
    fake.linkProfile(email, linked, {
      type: 'DOMAIN_PROFILE',
      fields: { emailAddresses: [{ value: 'grace@profile.example' }] },
      photo: jpeg(9),
    });
    const { provider } = personalAccount(fake, email);
    const run = await runSync(provider, email, undefined);
    const item = run.upserts.get(linked)!;
    expect(item.contact.emails.map((e) => e.value)).toEqual(['grace@contact.example']);
    expect(item.photo).toBeUndefined();
    expect(item.contact.extra[profileKey]).toEqual({
      emailAddresses: [{ value: 'grace@profile.example' }],
    });

    // Restoring the backed-up contact writes only the contact's own email.
    const results = await provider.writer(email)!.update(
      [
        {
          key: 'k',
          restoreId: restoreIdOf('run', 'k'),
          targetId: linked,
          contact: item.contact,
          folderIds: [],
        },
      ],
      workContext(),
    );
    expect(results[0]).toMatchObject({ ok: true });
    const stored = fake.store.user(email).persons.get(linked)!;
    expect(stored.fields.emailAddresses?.map((e) => e.value)).toEqual(['grace@contact.example']);
  });
});
