import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyContact } from '../../../main/core/contacts/model';
import { createCardDavProvider } from '../../../main/core/providers/carddav';
import type { ContactWriter, WriteItem } from '../../../main/core/providers/provider';
import type { DavServer } from '../../support/dav-servers';
import { removeTempDirs } from '../../support/temp-dir';
import { testContext } from '../../support/work-context';
import { startServer } from './harness';

let server: DavServer;
let writer: ContactWriter;
const context = testContext();
const auth = () => `Basic ${Buffer.from(`${server.user}:${server.password}`).toString('base64')}`;

beforeAll(async () => {
  server = await startServer('radicale');
  const provider = createCardDavProvider(
    { preset: 'other', serverUrl: server.url, username: server.user },
    { get: async <T>() => ({ kind: 'carddav', password: server.password }) as T, set: async () => undefined },
  );
  writer = provider.writer('me')!;
});
afterAll(async () => {
  await server?.stop();
  await removeTempDirs();
});

const restoreId = (n: number) => `cbr-${String(n).padStart(32, '0')}`;

function item(n: number, name: string, extra: Record<string, unknown> = {}): WriteItem {
  return {
    key: `k${n}`,
    contact: { ...emptyContact(name), emails: [{ value: `${n}@example.org` }], extra },
    folderIds: [new URL(server.bookUrl('contacts')).pathname],
    restoreId: restoreId(n),
  };
}

async function cardText(path: string): Promise<string> {
  const response = await fetch(new URL(path, server.url), { headers: { Authorization: auth() } });
  expect(response.status).toBe(200);
  return response.text();
}

describe('CardDAV writer', () => {
  it('creates <restoreId>.vcf with If-None-Match, and a repeated create after a crash creates nothing', async () => {
    const [first] = await writer.create([item(1, 'Ann', { 'carddav.uid': 'uid-ann' })], context);
    expect(first).toMatchObject({ ok: true, targetId: expect.stringMatching(/\/cbr-0+1\.vcf$/) });
    const text = await cardText((first as { targetId: string }).targetId);
    expect(text).toMatch(/^UID(;VALUE=text)?:uid-ann\r?$/m);
    expect(text).toMatch(/^X-CONTACTS-BACKUP-RESTORE-ID:cbr-0+1\r?$/m);
    // The journal never heard of it (a crash): the same write again answers 412 and is recognised.
    const [again] = await writer.create([item(1, 'Ann', { 'carddav.uid': 'uid-ann' })], context);
    expect(again).toEqual(first);
    expect(await writer.findRestored!([restoreId(1), restoreId(9)], context)).toEqual(
      new Map([[restoreId(1), (first as { targetId: string }).targetId]]),
    );
  });

  it('refuses to take over a stranger’s card at the same name', async () => {
    const url = `${server.bookUrl('contacts')}${restoreId(2)}.vcf`;
    const put = await fetch(url, {
      method: 'PUT',
      headers: { Authorization: auth(), 'Content-Type': 'text/vcard' },
      body: 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:stranger\r\nFN:Stranger\r\nN:;Stranger;;;\r\nEND:VCARD\r\n',
    });
    expect(put.status).toBeLessThan(300);
    const [result] = await writer.create([item(2, 'Bob')], context);
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/different card already exists/),
    });
    expect(await cardText(new URL(url).pathname)).toMatch(/Stranger/);
  });

  it('updates with If-Match and keeps the target card’s UID', async () => {
    const [created] = await writer.create([item(3, 'Cleo', { 'carddav.uid': 'uid-cleo' })], context);
    const targetId = (created as { targetId: string }).targetId;
    const [updated] = await writer.update([{ ...item(3, 'Cleo Changed'), targetId }], context);
    expect(updated).toMatchObject({ ok: true, targetId });
    const text = await cardText(targetId);
    expect(text).toMatch(/^FN:Cleo Changed\r?$/m);
    expect(text).toMatch(/^UID(;VALUE=text)?:uid-cleo\r?$/m);
    expect(await writer.existing([targetId, '/alice/contacts/none.vcf'], context)).toEqual(
      new Set([targetId]),
    );
  });

  it('creates a new address book for a new folder', async () => {
    const folder = await writer.createFolder('Restored 2026-12-07 10:00', undefined, context);
    expect(folder.id).toMatch(/\/restored-2026-12-07-1000\/$/);
    expect((await writer.listFolders(context)).map((entry) => entry.name)).toContain(
      'Restored 2026-12-07 10:00',
    );
  });
});
