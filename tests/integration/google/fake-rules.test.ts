/**
 * The fake's own rules where clients depend on them (providers.md 4), checked over plain HTTP so a
 * lenient fake cannot hide a client bug.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google/fake-google';
import { clientId } from './helpers';

const email = 'rules@example.com';
let fake: FakeGoogle;
let bearer: string;

interface Answer {
  status: number;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
}

async function api(method: string, path: string, body?: unknown, token = bearer): Promise<Answer> {
  const response = await fetch(`${fake.origin()}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

function reasonOf(answer: Answer): string | undefined {
  return answer.body.error?.details?.[0]?.reason;
}

/** A fresh access token (the fake's tokens expire by its clock, like Google's after an hour). */
async function signIn(): Promise<void> {
  const refreshToken = fake.grantRefreshToken(email, clientId);
  const response = await fetch(`${fake.origin()}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: clientId,
    }),
  });
  bearer = ((await response.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  fake = await startFakeGoogle();
  fake.addUser(email);
  await signIn();
  for (let index = 0; index < 250; index += 1)
    fake.addContact(email, { names: [{ givenName: `P${index}` }] });
});
afterAll(async () => fake.close());

describe('fake People API rules', () => {
  it('requires personFields and validates them', async () => {
    const missing = await api('GET', '/v1/people/me/connections');
    expect(missing.status).toBe(400);
    expect(missing.body.error.status).toBe('INVALID_ARGUMENT');
    expect((await api('GET', '/v1/people/me/connections?personFields=names,shoeSize')).status).toBe(400);
  });

  it('pages 100 by default, refuses sizes over 1000, and gives a sync token on the last page only when asked', async () => {
    const first = await api('GET', '/v1/people/me/connections?personFields=names&requestSyncToken=true');
    expect(first.body.connections).toHaveLength(100);
    expect(first.body.nextSyncToken).toBeUndefined();
    expect(first.body.totalItems).toBe(250);
    expect((await api('GET', '/v1/people/me/connections?personFields=names&pageSize=1001')).status).toBe(400);
    const next = `/v1/people/me/connections?personFields=names&requestSyncToken=true&pageToken=${first.body.nextPageToken}`;
    const second = await api('GET', next);
    const last = await api(
      'GET',
      `/v1/people/me/connections?personFields=names&requestSyncToken=true&pageToken=${second.body.nextPageToken}`,
    );
    expect(last.body.connections).toHaveLength(50);
    expect(last.body.nextPageToken).toBeUndefined();
    expect(last.body.nextSyncToken).toBeTruthy();
    const unasked = await api('GET', '/v1/people/me/connections?personFields=names&pageSize=1000');
    expect(unasked.body.nextSyncToken).toBeUndefined();
  });

  it('refuses a page or sync token used with other parameters', async () => {
    const first = await api(
      'GET',
      '/v1/people/me/connections?personFields=names&requestSyncToken=true&pageSize=200',
    );
    const changed = await api(
      'GET',
      `/v1/people/me/connections?personFields=names,emailAddresses&requestSyncToken=true&pageSize=200&pageToken=${first.body.nextPageToken}`,
    );
    expect(changed.status).toBe(400);
    const last = await api(
      'GET',
      `/v1/people/me/connections?personFields=names&requestSyncToken=true&pageSize=200&pageToken=${first.body.nextPageToken}`,
    );
    const token = last.body.nextSyncToken as string;
    expect(
      (
        await api(
          'GET',
          `/v1/people/me/connections?personFields=metadata&requestSyncToken=true&pageSize=200&syncToken=${token}`,
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await api(
          'GET',
          `/v1/people/me/connections?personFields=names&requestSyncToken=true&pageSize=200&syncToken=${token}`,
        )
      ).status,
    ).toBe(200);
  });

  it('reports deletions as resourceName, etag and metadata.deleted, and expires tokens with EXPIRED_SYNC_TOKEN', async () => {
    const query = '/v1/people/me/connections?personFields=metadata,names&requestSyncToken=true&pageSize=1000';
    const full = await api('GET', query);
    const victim = full.body.connections[0];
    fake.deleteContact(email, victim.resourceName);
    const changes = await api('GET', `${query}&syncToken=${full.body.nextSyncToken}`);
    const tombstone = changes.body.connections.find(
      (person: { resourceName: string }) => person.resourceName === victim.resourceName,
    );
    expect(tombstone).toEqual({
      resourceName: victim.resourceName,
      etag: expect.any(String),
      metadata: { deleted: true },
    });
    expect(tombstone.etag).not.toBe(victim.etag);
    fake.advance(7 * 24 * 3600_000 + 1);
    expect((await api('GET', query)).status).toBe(401);
    await signIn();
    const expired = await api('GET', `${query}&syncToken=${changes.body.nextSyncToken}`);
    expect(expired.status).toBe(400);
    expect(reasonOf(expired)).toBe('EXPIRED_SYNC_TOKEN');
  });

  it('answers 401 UNAUTHENTICATED to a bad bearer', async () => {
    const answer = await api('GET', '/v1/people/me/connections?personFields=names', undefined, 'ya29.forged');
    expect(answer.status).toBe(401);
    expect(answer.body.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED' });
  });

  it('enforces batch limits: create 200, update 200, delete 500, batchGet 200, members.modify 1000', async () => {
    const person = { names: [{ givenName: 'X' }] };
    const create = await api('POST', '/v1/people:batchCreateContacts', {
      contacts: Array.from({ length: 201 }, () => ({ contactPerson: person })),
      readMask: 'names',
    });
    expect(create.status).toBe(400);
    const deleting = await api('POST', '/v1/people:batchDeleteContacts', {
      resourceNames: Array.from({ length: 501 }, (_, i) => `people/c${i}`),
    });
    expect(deleting.status).toBe(400);
    const update = await api('POST', '/v1/people:batchUpdateContacts', {
      contacts: Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`people/c${i}`, person])),
      updateMask: 'names',
    });
    expect(update.status).toBe(400);
    const names = Array.from({ length: 201 }, (_, i) => `resourceNames=people/c${i}`).join('&');
    expect((await api('GET', `/v1/people:batchGet?personFields=names&${names}`)).status).toBe(400);
    const modify = await api('POST', '/v1/contactGroups/starred/members:modify', {
      resourceNamesToAdd: Array.from({ length: 1001 }, (_, i) => `people/c${i}`),
    });
    expect(modify.status).toBe(400);
  });

  it('puts new contacts in My Contacts, keeps a last membership, refuses additions to deprecated groups', async () => {
    const created = await api('POST', '/v1/people:createContact?personFields=memberships,metadata', {
      names: [{ givenName: 'New' }],
    });
    expect(created.body.memberships[0].contactGroupMembership.contactGroupResourceName).toBe(
      'contactGroups/myContacts',
    );
    const name = created.body.resourceName;
    const removal = await api('POST', '/v1/contactGroups/myContacts/members:modify', {
      resourceNamesToRemove: [name],
    });
    expect(removal.body.canNotRemoveLastContactGroupResourceNames).toEqual([name]);
    const deprecated = await api('POST', '/v1/contactGroups/friends/members:modify', {
      resourceNamesToAdd: [name],
    });
    expect(deprecated.status).toBe(400);
    const group = await api('GET', '/v1/contactGroups/myContacts');
    expect(group.body.memberResourceNames).toBeUndefined();
    expect(group.body.memberCount).toBe(fake.contactNames(email).length);
    const withMembers = await api('GET', '/v1/contactGroups/myContacts?maxMembers=2');
    expect(withMembers.body.memberResourceNames).toHaveLength(2);
  });

  it('answers 409 to a duplicate group name and pages groups 30 at a time', async () => {
    expect((await api('POST', '/v1/contactGroups', { contactGroup: { name: 'Dup' } })).status).toBe(200);
    const duplicate = await api('POST', '/v1/contactGroups', { contactGroup: { name: 'Dup' } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.status).toBe('ALREADY_EXISTS');
    for (let index = 0; index < 25; index += 1)
      await api('POST', '/v1/contactGroups', { contactGroup: { name: `G${index}` } });
    const page = await api('GET', '/v1/contactGroups');
    expect(page.body.contactGroups).toHaveLength(30);
    expect(page.body.nextPageToken).toBeTruthy();
  });

  it('checks etags, requires updatePersonFields, replaces only those fields and rejects two names', async () => {
    const created = await api('POST', '/v1/people:createContact?personFields=names,nicknames,metadata', {
      names: [{ givenName: 'E' }],
      nicknames: [{ value: 'kept' }],
    });
    const { resourceName, etag, metadata } = created.body;
    const path = `/v1/${resourceName}:updateContact`;
    const noMask = await api('PATCH', path, { etag, metadata, names: [{ givenName: 'F' }] });
    expect(noMask.status).toBe(400);
    const ok = await api('PATCH', `${path}?updatePersonFields=names&personFields=names,nicknames,metadata`, {
      etag,
      metadata,
      names: [{ givenName: 'F' }],
    });
    expect(ok.status).toBe(200);
    expect(ok.body.etag).not.toBe(etag);
    expect(ok.body.nicknames[0].value).toBe('kept');
    const stale = await api('PATCH', `${path}?updatePersonFields=names`, {
      etag,
      metadata,
      names: [{ givenName: 'G' }],
    });
    expect(stale.status).toBe(400);
    expect(stale.body.error.status).toBe('FAILED_PRECONDITION');
    expect(reasonOf(stale)).toBe('failedPrecondition');
    const two = await api('PATCH', `${path}?updatePersonFields=names`, {
      etag: ok.body.etag,
      metadata: ok.body.metadata,
      names: [{ givenName: 'A' }, { givenName: 'B' }],
    });
    expect(two.status).toBe(400);
  });

  it('writes proto3 JSON: defaults are left out', async () => {
    const created = await api('POST', '/v1/people:createContact?personFields=names,emailAddresses,photos', {
      names: [{ givenName: 'Z' }],
      birthdays: [{ date: { year: 0, month: 3, day: 4 } }],
    });
    expect(created.body.emailAddresses).toBeUndefined();
    expect(created.body.names[0].metadata.primary).toBe(true);
    const read = await api('GET', `/v1/${created.body.resourceName}?personFields=birthdays`);
    expect(read.body.birthdays[0].date).toEqual({ month: 3, day: 4 });
    expect(read.body.birthdays[0].metadata.source).toBeDefined();
  });
});
