/** The fake's rules that the provider relies on, checked directly over HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../fakes/graph/fake-microsoft';
import type { Mailbox } from '../../fakes/graph/mailbox';
import { jpeg } from './harness';

let fake: FakeMicrosoft;
let mailbox: Mailbox;
let token: string;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  mailbox = fake.addMailbox('rules@outlook.com');
  token = fake.state.issueAccessToken({
    kind: 'user',
    mailboxId: mailbox.id,
    tenantId: mailbox.tenantId,
    clientId: 'c',
  });
});
afterAll(() => fake.close());

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const url = path.startsWith('http') ? path : `${fake.graphBaseUrl}${path}`;
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && !(body instanceof Uint8Array) ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body:
      body instanceof Uint8Array
        ? new Uint8Array(body)
        : body === undefined
          ? undefined
          : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: text ? JSON.parse(text) : undefined,
  };
}

describe('Graph fake rules', () => {
  it('401 with the error envelope for a bad bearer', async () => {
    const response = await fetch(`${fake.graphBaseUrl}/me/contacts`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body.error).toMatchObject({ code: 'InvalidAuthenticationToken', message: expect.any(String) });
    expect(Object.keys(body.error.innerError)).toEqual(['date', 'request-id', 'client-request-id']);
  });

  it('default folder semantics, full contact JSON with nulls, [] and {}', async () => {
    const folder = fake.addFolder(mailbox, 'Sub');
    const inDefault = fake.addContact(mailbox, { givenName: 'Default' });
    fake.addContact(mailbox, { givenName: 'Sub' }, folder);
    const contacts = await call('GET', '/me/contacts');
    expect(contacts.json['@odata.context']).toContain('$metadata');
    expect(contacts.json.value.map((c: { id: string }) => c.id)).toEqual([inDefault]);
    const item = contacts.json.value[0];
    expect(item['@odata.etag']).toMatch(/^W\/"/);
    expect(item).toMatchObject({
      surname: null,
      businessPhones: [],
      homeAddress: {},
      parentFolderId: mailbox.defaultFolderId,
    });
    expect(item.id).toMatch(/[-_].*=$/);
    const folders = await call('GET', '/me/contactFolders');
    expect(folders.json.value).toEqual([
      { id: folder, displayName: 'Sub', parentFolderId: mailbox.defaultFolderId },
    ]);
    const scoped = await call('GET', `/me/contactFolders/${encodeURIComponent(folder)}/contacts`);
    expect(scoped.json.value).toHaveLength(1);
    const wrongScope = await call(
      'GET',
      `/me/contactFolders/${encodeURIComponent(folder)}/contacts/${encodeURIComponent(inDefault)}`,
    );
    expect(wrongScope.status).toBe(404);
  });

  it('CRUD statuses, and $select keeps id', async () => {
    const created = await call('POST', '/me/contacts', { givenName: 'New', surname: 'Person' });
    expect(created.status).toBe(201);
    expect(created.json.displayName).toBe('New Person');
    const id = encodeURIComponent(created.json.id);
    const patched = await call('PATCH', `/me/contacts/${id}`, { jobTitle: 'Boss' });
    expect(patched.status).toBe(200);
    expect(patched.json.jobTitle).toBe('Boss');
    const selected = await call('GET', `/me/contacts/${id}?$select=jobTitle`);
    expect(Object.keys(selected.json).sort()).toEqual(['@odata.context', '@odata.etag', 'id', 'jobTitle']);
    expect((await call('PATCH', `/me/contacts/${id}`, { bogus: 1 })).status).toBe(400);
    expect((await call('DELETE', `/me/contacts/${id}`)).status).toBe(204);
    expect((await call('GET', `/me/contacts/${id}`)).status).toBe(404);
  });

  it('photos: 404 when none, PUT answers 200 with an empty body and no JSON content type', async () => {
    const id = encodeURIComponent(fake.addContact(mailbox, { givenName: 'Pic' }));
    expect((await call('GET', `/me/contacts/${id}/photo/$value`)).status).toBe(404);
    const put = await call('PUT', `/me/contacts/${id}/photo/$value`, jpeg(3), {
      'content-type': 'image/jpeg',
    });
    expect(put.status).toBe(200);
    expect(put.text).toBe('');
    expect(put.headers.get('content-type')).toBeNull();
    const got = await fetch(`${fake.graphBaseUrl}/me/contacts/${id}/photo/$value`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(jpeg(3)))).toBe(true);
  });

  it('delta: Prefer must come on every request, links are absolute on the fake origin', async () => {
    const box = fake.addMailbox('delta-rules@outlook.com');
    const boxToken = fake.state.issueAccessToken({
      kind: 'user',
      mailboxId: box.id,
      tenantId: box.tenantId,
      clientId: 'c',
    });
    for (let n = 0; n < 30; n += 1) fake.addContact(box, { givenName: `N${n}` });
    const get = async (url: string, prefer?: string) =>
      (
        await fetch(url, { headers: { authorization: `Bearer ${boxToken}`, ...(prefer ? { prefer } : {}) } })
      ).json();
    const first = await get(
      `${fake.graphBaseUrl}/me/contactFolders/${encodeURIComponent(box.defaultFolderId)}/contacts/delta`,
      'odata.maxpagesize=7',
    );
    expect(first.value).toHaveLength(7);
    expect(first['@odata.nextLink'].startsWith(`${fake.graphBaseUrl}/`)).toBe(true);
    expect(first['@odata.nextLink']).toContain('$skiptoken=');
    // The page size does not ride in the link: without the header the default (10) applies.
    const second = await get(first['@odata.nextLink']);
    expect(second.value).toHaveLength(10);
    let page = second;
    while (page['@odata.nextLink']) page = await get(page['@odata.nextLink'], 'odata.maxpagesize=100');
    expect(page['@odata.deltaLink']).toContain('$deltatoken=');
    const removed = [...box.contacts.keys()][0];
    box.deleteContact(removed);
    const changes = await get(page['@odata.deltaLink'], 'odata.maxpagesize=100');
    expect(changes.value).toEqual([
      { '@odata.type': '#microsoft.graph.contact', id: removed, '@removed': { reason: 'deleted' } },
    ]);
    fake.expireDeltaTokens(box, 'gone');
    const gone = await fetch(changes['@odata.deltaLink'], {
      headers: { authorization: `Bearer ${boxToken}` },
    });
    expect(gone.status).toBe(410);
    expect(gone.headers.get('location')).toContain('/contacts/delta');
  });

  it('contactFolders/delta reports folders and their removal', async () => {
    const box = fake.addMailbox('folder-delta@outlook.com');
    const boxToken = fake.state.issueAccessToken({
      kind: 'user',
      mailboxId: box.id,
      tenantId: box.tenantId,
      clientId: 'c',
    });
    const a = fake.addFolder(box, 'A');
    const b = fake.addFolder(box, 'B', a);
    const get = async (url: string) =>
      (await fetch(url, { headers: { authorization: `Bearer ${boxToken}` } })).json();
    const first = await get(`${fake.graphBaseUrl}/me/contactFolders/delta`);
    expect(first.value.map((f: { id: string }) => f.id)).toEqual([a, b]);
    box.deleteFolder(a);
    const next = await get(first['@odata.deltaLink']);
    expect(next.value).toEqual([
      { id: b, '@removed': { reason: 'deleted' } },
      { id: a, '@removed': { reason: 'deleted' } },
    ]);
  });

  it('$batch: at most 20, unique ids, dependsOn → 424, per-item 429 with Retry-After', async () => {
    const get = { method: 'GET', url: '/me/contacts?$top=1' };
    const tooMany = await call('POST', '/$batch', {
      requests: Array.from({ length: 21 }, (_, i) => ({ id: `${i}`, ...get })),
    });
    expect(tooMany.status).toBe(400);
    const duplicate = await call('POST', '/$batch', {
      requests: [
        { id: '1', ...get },
        { id: '1', ...get },
      ],
    });
    expect(duplicate.status).toBe(400);
    const absolute = await call('POST', '/$batch', {
      requests: [{ id: '1', method: 'GET', url: `${fake.graphBaseUrl}/me/contacts` }],
    });
    expect(absolute.json.responses[0].status).toBe(400);
    fake.addFault({ kind: 'throttle', inBatch: true, match: /GET \/me\/contacts$/, times: 1, retryAfter: 5 });
    const mixed = await call('POST', '/$batch', {
      requests: [
        { id: 'a', method: 'GET', url: '/me/contacts/missing=' },
        { id: 'b', method: 'GET', url: '/me/contacts', dependsOn: ['a'] },
        { id: 'c', method: 'GET', url: '/me/contacts' },
        {
          id: 'd',
          method: 'POST',
          url: '/me/contacts',
          body: { givenName: 'Batched' },
          headers: { 'Content-Type': 'application/json' },
        },
      ],
    });
    expect(mixed.status).toBe(200);
    const byId = Object.fromEntries(mixed.json.responses.map((r: { id: string }) => [r.id, r]));
    expect(mixed.json.responses.map((r: { id: string }) => r.id)).not.toEqual(['a', 'b', 'c', 'd']);
    expect(byId.a.status).toBe(404);
    expect(byId.b.status).toBe(424);
    expect(byId.c.status).toBe(429);
    expect(byId.c.headers['Retry-After']).toBe('5');
    expect(byId.d.status).toBe(201);
  });

  it('/users pages and says which accounts are disabled; delegated tokens may not list them', async () => {
    const tenant = 'a4c1e9d2-0000-4000-8000-000000000001';
    fake.addMailbox('one@contoso.example', { tenantId: tenant });
    fake.addMailbox('two@contoso.example', { tenantId: tenant, accountEnabled: false });
    fake.addMailbox('three@contoso.example', { tenantId: tenant });
    const app = fake.state.issueAccessToken({ kind: 'app', tenantId: tenant, clientId: 'c' });
    const first = await (
      await fetch(`${fake.graphBaseUrl}/users?$top=2`, { headers: { authorization: `Bearer ${app}` } })
    ).json();
    expect(first.value).toHaveLength(2);
    const second = await (
      await fetch(first['@odata.nextLink'], { headers: { authorization: `Bearer ${app}` } })
    ).json();
    expect(
      [...first.value, ...second.value].map((u: { accountEnabled: boolean }) => u.accountEnabled),
    ).toEqual([true, false, true]);
    expect((await call('GET', '/users')).status).toBe(403);
  });
});
