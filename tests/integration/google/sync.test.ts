import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../main/core/providers/provider';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google/fake-google';
import { createGoogleProvider } from '../../../main/core/providers/google';
import { fakeSleep, jpeg, personalAccount, runSync, workContext } from './helpers';

const email = 'ada@example.com';

function seedPeople(fake: FakeGoogle, count: number, groups: string[] = []): string[] {
  const names: string[] = [];
  for (let index = 0; index < count; index += 1) {
    names.push(
      fake.addContact(
        email,
        {
          names: [{ givenName: `Given${index}`, familyName: `Family${index}` }],
          emailAddresses: [{ value: `person${index}@example.org`, type: 'work' }],
        },
        { groups: index % 10 === 0 && groups.length ? ['contactGroups/myContacts', ...groups] : undefined },
      ),
    );
  }
  return names;
}

describe('Google sync against the fake', () => {
  let fake: FakeGoogle;
  beforeEach(async () => {
    fake = await startFakeGoogle();
    fake.addUser(email);
  });
  afterEach(async () => fake.close());

  it('reads everything, then only changes: adds, edits, deletes, group and photo changes, renames', async () => {
    const friends = fake.addGroup(email, 'Friends at work');
    const names = seedPeople(fake, 250, [friends]);
    fake.setPhoto(email, names[3], jpeg(3));
    const { provider } = personalAccount(fake, email, { deps: { pageSize: 100 } });

    const first = await runSync(provider, email, undefined);
    expect(first.outcome.full).toBe(true);
    expect(first.upserts.size).toBe(250);
    expect(first.batches).toHaveLength(3);
    // Folders come once per sync, with the system folders mapped and deprecated groups left out.
    expect(first.batches[0].folders?.map((folder) => [folder.id, folder.system])).toEqual([
      ['contactGroups/myContacts', 'default'],
      ['contactGroups/starred', 'starred'],
      [friends, undefined],
    ]);
    expect(first.batches[1].folders).toBeUndefined();
    expect(first.upserts.get(names[10])?.contact.folderIds).toEqual(['contactGroups/myContacts', friends]);
    expect(first.upserts.get(names[0])?.contact.emails).toEqual([
      { value: 'person0@example.org', type: 'work', primary: true },
    ]);
    // Placeholder photos are skipped; the real one loads byte for byte.
    expect(first.upserts.get(names[4])?.photo).toBeUndefined();
    const photo = first.upserts.get(names[3])?.photo;
    expect(Buffer.from((await photo!.load()).bytes)).toEqual(jpeg(3));
    const list = fake.requestsOf('people.connections.list');
    expect(list.every((request) => request.query.get('requestSyncToken') === 'true')).toBe(true);
    expect(list.every((request) => request.query.get('personFields')?.includes('metadata'))).toBe(true);

    const added = fake.addContact(email, { names: [{ givenName: 'New' }] });
    fake.editContact(email, names[1], { names: [{ givenName: 'Edited' }] });
    fake.deleteContact(email, names[2]);
    fake.setPhoto(email, names[3], jpeg(33));
    fake.editContact(email, names[5], {
      memberships: [{ contactGroupMembership: { contactGroupResourceName: friends } }],
    });
    const relinked = fake.relinkContact(email, names[6]);
    fake.renameGroup(email, friends, 'Old friends');

    fake.clearRequests();
    const second = await runSync(provider, email, first.outcome.cursor);
    expect(second.outcome.full).toBe(false);
    expect([...second.upserts.keys()].sort()).toEqual([added, names[1], names[3], names[5], relinked].sort());
    expect(second.deletions).toEqual([names[2]]);
    expect(second.renames).toEqual([{ from: names[6], to: relinked }]);
    expect(second.upserts.get(names[1])?.contact.name).toEqual({ given: 'Edited' });
    expect(second.upserts.get(names[5])?.contact.folderIds).toEqual([friends]);
    expect(second.upserts.get(names[3])?.photo?.key).not.toBe(photo?.key);
    expect(Buffer.from((await second.upserts.get(names[3])!.photo!.load()).bytes)).toEqual(jpeg(33));
    expect(second.batches[0].folders?.find((folder) => folder.id === friends)?.name).toBe('Old friends');
    expect(fake.requestsOf('people.connections.list')[0].query.get('syncToken')).toBeTruthy();

    const third = await runSync(provider, email, second.outcome.cursor);
    expect(third.upserts.size + third.deletions.length).toBe(0);
  });

  it('falls back to a full read when the sync token expired after 7 days (400 EXPIRED_SYNC_TOKEN)', async () => {
    seedPeople(fake, 30);
    const { provider } = personalAccount(fake, email);
    const first = await runSync(provider, email, undefined);
    fake.advance(6 * 24 * 3600_000);
    const fresh = await runSync(provider, email, first.outcome.cursor);
    expect(fresh.outcome.full).toBe(false);
    fake.advance(2 * 24 * 3600_000);
    const context = workContext();
    const expired = await runSync(provider, email, fresh.outcome.cursor, context);
    expect(expired.outcome.full).toBe(true);
    expect(expired.upserts.size).toBe(30);
    expect(fake.requestsOf('people.connections.list').some((request) => request.status === 400)).toBe(true);
    expect(context.lines.some((line) => line.includes('expired'))).toBe(true);
  });

  it('also treats a 410 as an expired token', async () => {
    seedPeople(fake, 5);
    fake.syncTokenRules.expiredStatus = 410;
    const { provider } = personalAccount(fake, email);
    const first = await runSync(provider, email, undefined);
    fake.advance(8 * 24 * 3600_000);
    const again = await runSync(provider, email, first.outcome.cursor);
    expect(again.outcome.full).toBe(true);
    expect(again.upserts.size).toBe(5);
  });

  it('retries a page whose connection dropped mid-response, with the same page token, skipping nothing', async () => {
    const names = seedPeople(fake, 500);
    const { provider } = personalAccount(fake, email, { deps: { pageSize: 100 } });
    fake.addFault({ op: 'people.connections.list', skip: 2, times: 2, action: { kind: 'drop' } });
    const run = await runSync(provider, email, undefined);
    expect(run.batches).toHaveLength(5);
    expect([...run.upserts.keys()].sort()).toEqual([...names].sort());
    expect(run.batches.reduce((sum, batch) => sum + batch.upserts.length, 0)).toBe(500);
    const list = fake.requestsOf('people.connections.list');
    expect(list).toHaveLength(7);
    // The dropped third page was asked for again with the same token, not from the start.
    expect(list[2].query.get('pageToken')).toBeTruthy();
    expect(list[3].query.get('pageToken')).toBe(list[2].query.get('pageToken'));
    expect(list[4].query.get('pageToken')).toBe(list[2].query.get('pageToken'));
    // Same end state as an undisturbed run: the cursor is good and nothing is left to deliver.
    const after = await runSync(provider, email, run.outcome.cursor);
    expect(after.outcome.full).toBe(false);
    expect(after.upserts.size + after.deletions.length).toBe(0);
  });

  it('retries a page that answers too slowly', async () => {
    seedPeople(fake, 20);
    const { provider } = personalAccount(fake, email, { deps: { requestTimeoutMs: 300 } });
    fake.addFault({ op: 'people.connections.list', action: { kind: 'delay', ms: 1500 } });
    const run = await runSync(provider, email, undefined);
    expect(run.upserts.size).toBe(20);
    expect(fake.requestsOf('people.connections.list').length).toBeGreaterThanOrEqual(2);
  });

  it('rides out a 429 storm from per-user per-minute quotas, honouring Retry-After', async () => {
    seedPeople(fake, 1000);
    fake.setQuota({ readsPerMinute: 3, retryAfterSeconds: 30 });
    const waits: number[] = [];
    const { provider } = personalAccount(fake, email, {
      deps: {
        pageSize: 50,
        sleep: async (ms) => {
          waits.push(ms);
          fake.advance(ms);
        },
      },
    });
    const run = await runSync(provider, email, undefined);
    expect(run.upserts.size).toBe(1000);
    expect(fake.faults.quotaRejections).toBeGreaterThan(5);
    expect(waits.length).toBeGreaterThan(5);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(30_000);
  });

  it('waits out the fixed quota on first pages of full syncs', async () => {
    seedPeople(fake, 10);
    fake.setQuota({ fullSyncFirstPagesPerMinute: 1 });
    const { provider } = personalAccount(fake, email);
    await runSync(provider, email, undefined);
    const again = await runSync(provider, email, undefined);
    expect(again.upserts.size).toBe(10);
    expect(fake.requestsOf('people.connections.list').map((call) => call.status)).toContain(429);
  });

  it('retries 500 and 503 answers and gives up with a retryable error when they never stop', async () => {
    seedPeople(fake, 10);
    const { provider } = personalAccount(fake, email, { deps: { maxAttempts: 4 } });
    fake.addFault({ op: 'people.connections.list', times: 1, action: { kind: 'status', status: 500 } });
    fake.addFault({ op: 'contactGroups.list', times: 2, action: { kind: 'status', status: 503 } });
    expect((await runSync(provider, email, undefined)).upserts.size).toBe(10);
    fake.addFault({ op: 'people.connections.list', times: 100, action: { kind: 'status', status: 503 } });
    const error = await runSync(provider, email, undefined).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'network', retryable: true });
    expect((error as Error).message).not.toMatch(/unavailable|503/i);
  });

  it('refreshes expired access tokens and asks for a new sign-in when the grant is revoked', async () => {
    seedPeople(fake, 3);
    const { provider, secrets } = personalAccount(fake, email);
    const context = workContext();
    await runSync(provider, email, undefined, context);
    fake.expireAccessTokens(email);
    expect((await runSync(provider, email, undefined, context)).upserts.size).toBe(3);
    expect(fake.requestsOf('oauth.token').length).toBeGreaterThanOrEqual(2);
    fake.revokeGrants(email);
    await expect(runSync(provider, email, undefined, context)).rejects.toMatchObject({
      code: 'auth-required',
    });
    const saved = JSON.stringify(secrets.value);
    const refreshToken = (secrets.value as { refreshToken: string }).refreshToken;
    expect(saved).toContain(refreshToken);
    expect(context.lines.join('\n')).not.toContain(refreshToken);
    expect(context.lines.join('\n')).not.toContain('ya29.');
  });

  it('saves a rotated refresh token so the next run signs in with it', async () => {
    seedPeople(fake, 2);
    fake.oauth.rotateRefreshTokens = true;
    const { provider, secrets, settings } = personalAccount(fake, email);
    const before = (secrets.value as { refreshToken: string }).refreshToken;
    await runSync(provider, email, undefined);
    const after = (secrets.value as { refreshToken: string }).refreshToken;
    expect(after).not.toBe(before);
    const later = createGoogleProvider(settings, secrets, { sleep: fakeSleep(fake) });
    expect((await runSync(later, email, undefined)).upserts.size).toBe(2);
  });

  it('keeps opt-in "Other contacts" in a folder of their own, incrementally too', async () => {
    seedPeople(fake, 3);
    const other = fake.addOtherContact(email, {
      names: [{ givenName: 'Once' }],
      emailAddresses: [{ value: 'once@example.net' }],
    });
    const { provider } = personalAccount(fake, email, {
      settings: { otherContacts: true },
      scopes: [
        'https://www.googleapis.com/auth/contacts',
        'https://www.googleapis.com/auth/contacts.other.readonly',
      ],
    });
    const first = await runSync(provider, email, undefined);
    expect(first.upserts.size).toBe(4);
    expect(first.upserts.get(other)?.contact.folderIds).toEqual(['otherContacts']);
    expect(first.batches[0].folders?.some((folder) => folder.id === 'otherContacts')).toBe(true);
    expect(JSON.parse(first.outcome.cursor ?? '{}')).toMatchObject({
      people: expect.any(String),
      other: expect.any(String),
    });
    const second = await runSync(provider, email, first.outcome.cursor);
    expect(second.outcome.full).toBe(false);
    expect(second.upserts.size).toBe(0);
  });

  it('fetches selected contacts with getBatchGet, at most 200 per call, leaving out missing ones', async () => {
    const names = seedPeople(fake, 250);
    fake.deleteContact(email, names[7]);
    const { provider } = personalAccount(fake, email);
    const found = await provider.fetchContacts(email, [...names, 'people/c1'], workContext());
    expect(found).toHaveLength(249);
    const calls = fake.requestsOf('people.getBatchGet');
    expect(calls.map((call) => call.query.getAll('resourceNames').length)).toEqual([200, 51]);
  });

  it('stops at once when the job is cancelled, without turning it into a provider error', async () => {
    seedPeople(fake, 300);
    const { provider } = personalAccount(fake, email, { deps: { pageSize: 100 } });
    const controller = new AbortController();
    let pages = 0;
    const error = await provider
      .sync(
        email,
        undefined,
        async () => {
          pages += 1;
          controller.abort(new Error('cancelled by user'));
        },
        workContext(controller.signal),
      )
      .catch((caught: unknown) => caught);
    expect(pages).toBe(1);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('cancelled by user');
  });

  it('sends every request, photos included, through an injected fetch', async () => {
    const names = seedPeople(fake, 3);
    fake.setPhoto(email, names[0], jpeg(9));
    const seen: string[] = [];
    const fetchImpl: typeof fetch = (input, init) => {
      seen.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return fetch(input, init);
    };
    const { provider } = personalAccount(fake, email, { deps: { fetchImpl } });
    const run = await runSync(provider, email, undefined);
    await run.upserts.get(names[0])!.photo!.load();
    expect(seen).toContain('/token');
    expect(seen).toContain('/v1/people/me/connections');
    expect(seen.some((path) => path.startsWith('/photos/'))).toBe(true);
  });

  it('lists the one user of a personal account and refuses other user ids', async () => {
    const { provider } = personalAccount(fake, email);
    expect(await provider.listUsers(workContext())).toEqual([{ id: email, email, active: true }]);
    await expect(runSync(provider, 'eve@example.com', undefined)).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
