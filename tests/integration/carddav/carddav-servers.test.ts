import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCardDavProvider } from '../../../main/core/providers/carddav';
import type { SourceContact } from '../../../main/core/providers/provider';
import { freePort, type DavServer } from '../../support/dav-servers';
import { removeTempDirs } from '../../support/temp-dir';
import { testContext } from '../../support/work-context';
import {
  MAIN_BOOK,
  backup,
  cardOf,
  connect,
  generated,
  restore,
  sha256,
  startServer,
  type Connected,
  type ServerKind,
} from './harness';

afterAll(removeTempDirs);

/** Every card the server holds now, read by a fresh provider (full read), keyed by UID. */
async function serverCards(server: DavServer, listing: 'auto' | 'propfind' = 'auto') {
  const provider = createCardDavProvider(
    { preset: 'other', serverUrl: server.url, username: server.user, listing },
    { get: async <T>() => ({ kind: 'carddav', password: server.password }) as T, set: async () => undefined },
    // Small pages, so reading goes through several pipelined multigets.
    { batchSize: 7 },
  );
  const all: SourceContact[] = [];
  await provider.sync('me', undefined, async (batch) => void all.push(...batch.upserts), testContext());
  const byUid = new Map<string, { contact: SourceContact['contact']; photo?: string; path: string }>();
  for (const entry of all) {
    const photo = entry.photo ? sha256((await entry.photo.load()).bytes) : undefined;
    byUid.set(String(entry.contact.extra['carddav.uid']), {
      contact: entry.contact,
      photo,
      path: entry.sourceId,
    });
  }
  return byUid;
}

async function deleteCard(server: DavServer, book: string, name: string) {
  const response = await fetch(server.bookUrl(book) + name, {
    method: 'DELETE',
    headers: {
      Authorization: `Basic ${Buffer.from(`${server.user}:${server.password}`).toString('base64')}`,
    },
  });
  expect(response.ok).toBe(true);
}

async function putCard(server: DavServer, book: string, card: { name: string; text: string }) {
  const response = await fetch(server.bookUrl(book) + card.name, {
    method: 'PUT',
    headers: {
      Authorization: `Basic ${Buffer.from(`${server.user}:${server.password}`).toString('base64')}`,
      'Content-Type': 'text/vcard; charset=utf-8',
    },
    body: card.text,
  });
  expect(response.status).toBeLessThan(300);
}

describe.each<ServerKind>(['radicale', 'xandikos'])('CardDAV against %s', (kind) => {
  let server: DavServer;
  let connected: Connected;
  const people = generated(40, kind === 'radicale' ? 11 : 12);
  const book = MAIN_BOOK[kind];

  beforeAll(async () => {
    server = await startServer(kind);
    await server.seed(book, people.slice(0, 30).map(cardOf));
    connected = await connect(server);
  });
  afterAll(async () => {
    await connected?.app.lock();
    await server?.stop();
  });

  it('backs up everything, then only what changed: adds, edits, deletes and a new address book', async () => {
    const first = await backup(connected);
    expect(first.full).toBe(true);
    expect(first.counts).toMatchObject({ added: 30, changed: 0, deleted: 0 });

    const unchanged = await backup(connected);
    expect(unchanged.full).toBe(false);
    expect(unchanged.counts).toMatchObject({ added: 0, changed: 0, deleted: 0, unchanged: 30 });

    // Two new cards, one edited, one deleted, and a new address book with three cards.
    for (const person of people.slice(30, 32)) await putCard(server, book, cardOf(person));
    const edited = people[3];
    await putCard(
      server,
      book,
      cardOf({ ...edited, contact: { ...edited.contact, notes: 'Edited on the server' } }),
    );
    await deleteCard(server, book, `${people[4].uid}.vcf`);
    await server.addBook('family', 'Family');
    await server.seed('family', people.slice(32, 35).map(cardOf));

    const incremental = await backup(connected);
    expect(incremental.full).toBe(false);
    expect(incremental.counts).toMatchObject({ added: 5, changed: 1, deleted: 1, unchanged: 28 });
  });

  it('an expired sync token falls back to a full listing without duplicates', async () => {
    // Corrupt the stored tokens as a server would expire them; the ctag must not short-circuit.
    const cursor = JSON.parse(connected.session.history.cursor(connected.userKey)!) as {
      v: 1;
      books: Record<string, { token?: string; version?: string }>;
    };
    for (const path of Object.keys(cursor.books))
      cursor.books[path] = { token: `${cursor.books[path].token}-expired` };
    // The catalog holds cursors in memory between backups; replace this one as an expired token would look.
    const store = connected.session.history as unknown as {
      catalog: { data: { cursors: Record<string, string> } };
    };
    store.catalog.data.cursors[connected.userKey] = JSON.stringify(cursor);
    // Change one card so every book is read again.
    await putCard(
      server,
      book,
      cardOf({ ...people[5], contact: { ...people[5].contact, notes: 'Second edit' } }),
    );
    const again = await backup(connected);
    expect(again.counts).toMatchObject({ added: 0, changed: 1, deleted: 0 });
    expect(again.counts.unchanged).toBe(33);
  });

  it('restores into an emptied address book with every field and photo, and a re-run creates nothing', async () => {
    const before = await serverCards(server);
    const at = connected.session.history.snapshots.at(-1)!.finishedAt;
    expect(before.size).toBe(34);
    // Empty the main book at the server.
    for (const [, entry] of before) {
      if (entry.path.startsWith(new URL(server.bookUrl(book)).pathname)) {
        await deleteCard(server, book, entry.path.split('/').pop()!);
      }
    }
    await backup(connected);
    // Everything the backup holds as of before the emptying, deleted contacts included when asked: the
    // 31 live cards of the book and the one deleted at the source earlier (kept, marked deleted) are
    // created; the 3 in Family are updated.
    const report = await restore(connected, { scope: 'all', mode: 'overwrite', at, includeDeleted: true });
    expect(report).toMatchObject({ failed: 0, created: 32, updated: 3 });
    const after = await serverCards(server);
    expect(after.size).toBe(35);
    expect(after.get(people[4].uid)).toBeDefined();
    for (const [uid, entry] of before) {
      const restored = after.get(uid);
      expect(restored, uid).toBeDefined();
      expect({ ...restored!.contact, folderIds: [] }).toEqual({ ...entry.contact, folderIds: [] });
      expect(restored!.photo).toBe(entry.photo);
    }
    const rerun = await restore(connected, { scope: 'all', mode: 'overwrite', at, includeDeleted: true });
    expect(rerun).toMatchObject({ failed: 0, created: 0, updated: 35 });
    expect((await serverCards(server)).size).toBe(35);
  });

  it('reads the same cards with the PROPFIND listing as with sync-collection', async () => {
    const viaSync = await serverCards(server, 'auto');
    const viaPropfind = await serverCards(server, 'propfind');
    expect([...viaPropfind.keys()].sort()).toEqual([...viaSync.keys()].sort());
  });

  // Xandikos has no authentication of its own: only Radicale can revoke a password.
  if (kind === 'radicale') {
    it('marks the account "sign-in needed" when the password is revoked, and takes a new one', async () => {
      await backup(connected); // Settle what the restore above created.
      const { reconnectFormAccount } = await import('../../../main/core/session/account-service');
      await server.setPassword!('the-new-app-password');
      await expect(backup(connected)).rejects.toThrow(/refused the user name or password/);
      const account = () => connected.session.accounts.find(connected.accountId)!;
      expect(account().status).toBe('sign-in-needed');
      await expect(
        reconnectFormAccount(
          connected.session,
          connected.accountId,
          { preset: 'other', server: server.url, user: server.user },
          'still-wrong',
        ),
      ).rejects.toMatchObject({ code: 'auth-required' });
      expect(account().status).toBe('sign-in-needed');
      await reconnectFormAccount(
        connected.session,
        connected.accountId,
        { preset: 'other', server: server.url, user: server.user },
        'the-new-app-password',
      );
      expect(account().status).toBe('ok');
      // The same account and user: the backup continues incrementally.
      const after = await backup(connected);
      expect(after.full).toBe(false);
      expect(after.counts).toMatchObject({ added: 0, changed: 0, deleted: 0 });
    });
  }

  it('says which part of the sign-in is wrong', async () => {
    const { session } = connected;
    const { connectAccount } = await import('../../../main/core/session/account-service');
    if (kind === 'radicale') {
      await expect(
        connectAccount(
          session,
          'carddav',
          { preset: 'other', server: server.url, user: server.user },
          'wrong',
        ),
      ).rejects.toMatchObject({
        code: 'auth-required',
        message: expect.stringMatching(/refused the user name or password/),
      });
    }
    const closed = await freePort();
    await expect(
      connectAccount(
        session,
        'carddav',
        { preset: 'other', server: `http://127.0.0.1:${closed}`, user: 'a' },
        'b',
      ),
    ).rejects.toMatchObject({
      code: 'network',
      message: expect.stringMatching(/^Nothing answers at 127\.0\.0\.1:/),
    });
    // A web server that is not a CardDAV server.
    const web = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end('<html><body>Welcome</body></html>');
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const { port } = web.address() as AddressInfo;
    await expect(
      connectAccount(
        session,
        'carddav',
        { preset: 'other', server: `http://127.0.0.1:${port}`, user: 'a' },
        'b',
      ),
    ).rejects.toMatchObject({
      code: 'invalid-response',
      message: expect.stringMatching(/does not answer as a CardDAV server/),
    });
    await new Promise((resolve) => web.close(resolve));
    await expect(
      connectAccount(session, 'carddav', { preset: 'other', server: 'not a url at all', user: 'a' }, 'b'),
    ).rejects.toMatchObject({ code: 'invalid-request' });
    // No password ever stays behind for an account that was not added.
    const ids = new Set(session.accounts.all().map((account) => account.id));
    expect(session.secrets.accountIds().every((id) => ids.has(id))).toBe(true);
  });
});
