import { existsSync } from 'node:fs';
import { copyFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRouter, type Sender } from '../../../main/core/api/router';
import { emptyContact } from '../../../main/core/contacts/model';
import { LIST_PAGE_SIZE } from '../../../main/core/contract/contract-types';
import { FIRST_SCREEN_ROWS } from '../../../main/core/history/first-screen';
import { HistoryStore } from '../../../main/core/history/history-store';
import { enqueueBackup } from '../../../main/core/session/backup-service';
import {
  contactsList,
  contactsListNow,
  folderViews,
  folderViewsNow,
} from '../../../main/core/session/browse-service';
import type { ProfileSession } from '../../../main/core/session/profile-session';
import { MemoryBook } from '../../support/memory-provider';
import { createTestApp, type TestApp } from '../../support/test-app';
import { removeTempDirs } from '../../support/temp-dir';

afterAll(removeTempDirs);

const PASSWORD = 'test password 1';
const COUNT = 450;
const sender: Sender = { trusted: true, description: 'test' };

async function backedUp(): Promise<{ test: TestApp; book: MemoryBook; userKey: string }> {
  const test = await createTestApp();
  const book = new MemoryBook();
  book.folders = [
    { id: 'even', name: 'Even' },
    { id: 'odd', name: 'Odd' },
  ];
  for (let i = 0; i < COUNT; i += 1) {
    // Names out of order, so the first page is a real sort and not the insertion order.
    book.put(`s${i}`, {
      ...emptyContact(`Person ${String((i * 7919) % COUNT).padStart(3, '0')}`),
      folderIds: [i % 2 ? 'odd' : 'even'],
    });
  }
  const userKey = await test.addBook('Book', book);
  await backup(test.session, userKey);
  return { test, book, userKey };
}

async function backup(session: ProfileSession, userKey: string): Promise<void> {
  const done = await session.jobs.wait(enqueueBackup(session, { userKey }, 'user', true).job.id);
  expect(done.state).toBe('succeeded');
}

/** A second, read-only history store on the unlocked vault, opened the way the app's unlock does. */
async function openInBackground(session: ProfileSession): Promise<ProfileSession> {
  const history = await HistoryStore.open(session.vault, { background: true });
  return { history } as unknown as ProfileSession;
}

describe('the saved first screen', () => {
  it('answers the top of the list, the folders and the counts before the history is read', async () => {
    const { test, userKey } = await backedUp();
    const path = test.session.vault.pathOf('first-screen');
    await test.app.lock();
    expect(existsSync(path)).toBe(true);

    const session = await test.app.unlock('Tester', PASSWORD);
    const early = await openInBackground(session);
    expect(early.history.loaded).toBe(false);
    expect(early.history.firstScreen()?.users[userKey]?.total).toBe(COUNT);
    expect(() => early.history.index).toThrow(/still being read/);

    // The renderer's first page must be exactly what the saved copy holds, or unlocking waits.
    expect(FIRST_SCREEN_ROWS).toBe(LIST_PAGE_SIZE);
    const query = { userKey, includeDeleted: true, offset: 0, limit: LIST_PAGE_SIZE };
    const firstPage = await contactsListNow(early, query);
    const folders = await folderViewsNow(early, userKey);
    // Answered without the history: it is still not read.
    expect(early.history.loaded).toBe(false);
    expect(firstPage).toEqual(contactsList(session, query));
    expect(firstPage.items[0].displayName).toBe('Person 000');
    expect(folders).toEqual(folderViews(session, userKey));
    expect(folders.map((folder) => folder.count)).toEqual([225, 225]);

    // Past the first page, or filtered, the saved search table answers (search-table.test.ts) or
    // the history does: either way exactly.
    const second = await contactsListNow(early, { ...query, offset: LIST_PAGE_SIZE });
    expect(second).toEqual(contactsList(session, { ...query, offset: LIST_PAGE_SIZE }));
    await early.history.ready();
    // Both words anywhere: 044, 144, 244, 344 and 440 to 449.
    expect((await contactsListNow(early, { userKey, search: 'person 44' })).total).toBe(14);
  });

  it('is deleted when the history changes and saved again, and an outdated or damaged copy is ignored', async () => {
    const { test, book, userKey } = await backedUp();
    const path = test.session.vault.pathOf('first-screen');
    await test.app.lock();
    const outdated = `${path}.old`;
    await copyFile(path, outdated);

    let session = await test.app.unlock('Tester', PASSWORD);
    book.put('s-new', emptyContact('Aaron First'));
    await backup(session, userKey);
    // Gone with the commit: it never describes a catalog it was not computed from.
    expect(existsSync(path)).toBe(false);
    await test.app.lock();
    expect(existsSync(path)).toBe(true);

    session = await test.app.unlock('Tester', PASSWORD);
    const fresh = await openInBackground(session);
    expect(fresh.history.firstScreen()?.users[userKey]?.firstPage[0].displayName).toBe('Aaron First');

    await copyFile(outdated, path);
    const stale = await openInBackground(session);
    expect(stale.history.firstScreen()).toBeUndefined();
    // Without a usable copy the list waits for the history, and is right.
    const list = await contactsListNow(stale, { userKey, limit: 1 });
    expect(list).toEqual({
      total: COUNT + 1,
      items: [expect.objectContaining({ displayName: 'Aaron First' })],
    });

    await writeFile(path, Buffer.from('not a sealed file at all'));
    const damaged = await openInBackground(session);
    expect(damaged.history.firstScreen()).toBeUndefined();
    expect((await contactsListNow(damaged, { userKey })).total).toBe(COUNT + 1);
  });

  it('a backup that changed nothing keeps the saved screen and the sorted lists; a new empty user still shows', async () => {
    const { test, userKey } = await backedUp();
    const emptyUser = await test.addBook('Empty', new MemoryBook());
    const path = test.session.vault.pathOf('first-screen');
    await test.app.lock();
    let session = await test.app.unlock('Tester', PASSWORD);
    const saved = await stat(path);
    const revision = session.history.index.revision;
    await backup(session, userKey);
    expect(session.history.snapshots).toHaveLength(2);
    // Nothing changed: the list views stay, and the saved copy is still the one for this catalog.
    expect(session.history.index.revision).toBe(revision);
    expect((await stat(path)).mtimeMs).toBe(saved.mtimeMs);
    const kept = await openInBackground(session);
    expect(kept.history.firstScreen()?.users[userKey]?.total).toBe(COUNT);

    // An empty address book's first backup has no segment, yet it puts its user on the screen.
    await backup(session, emptyUser);
    expect(existsSync(path)).toBe(false);
    await test.app.lock();
    session = await test.app.unlock('Tester', PASSWORD);
    const withEmpty = await openInBackground(session);
    expect(withEmpty.history.firstScreen()?.users[emptyUser]).toMatchObject({ total: 0, live: 0 });
    expect(withEmpty.history.firstScreen()?.users[userKey]?.total).toBe(COUNT);
    await test.app.lock();
  });

  it('through the API: unlocking answers at once, and requests that need the history wait for it', async () => {
    const { test, userKey } = await backedUp();
    await test.app.lock();
    const router = createRouter(test.app);
    const profileId = test.session.profile.id;

    const unlocked = await router.call('profile.unlock', { profileId, password: PASSWORD }, sender);
    expect(unlocked.ok).toBe(true);
    const [accounts, list, details] = await Promise.all([
      router.call('accounts.list', {}, sender),
      router.call('contacts.list', { userKey, includeDeleted: true, limit: 5 }, sender),
      router.call('contacts.ids', { userKey, search: 'person 001' }, sender),
    ]);
    expect(accounts).toMatchObject({ ok: true, value: [{ users: [{ userKey, contactCount: COUNT }] }] });
    expect(list).toMatchObject({ ok: true, value: { total: COUNT } });
    expect(details).toMatchObject({ ok: true, value: [expect.any(String)] });

    // Locking while the history is still being read neither hangs nor leaves an error behind.
    await router.call('profile.unlock', { profileId, password: PASSWORD }, sender);
    expect((await router.call('profile.lock', {}, sender)).ok).toBe(true);
    const again = await router.call('profile.unlock', { profileId, password: PASSWORD }, sender);
    expect(again.ok).toBe(true);
    const contactId = (details as { value: string[] }).value[0];
    expect(await router.call('contacts.get', { contactId }, sender)).toMatchObject({
      ok: true,
      value: { summary: { displayName: 'Person 001' } },
    });
    await test.app.lock();
  });

  it('a damaged history still unlocks: what cannot be read is left out, said once, and blocks only its user', async () => {
    const { test, userKey } = await backedUp();
    const segments = join(test.session.vault.folder, 'db', 'segments');
    await test.app.lock();
    const names = await readdir(segments);
    for (const name of names) await rm(join(segments, name));
    // Issue 18 item 2: a missing segment no longer refuses the whole profile; it is listed.
    const direct = await test.app.unlock('Tester', PASSWORD);
    expect(direct.history.damaged.map((item) => `${item.segmentId}.cbs`).sort()).toEqual(names.sort());
    await test.app.lock();

    const router = createRouter(test.app);
    const profileId = test.session.profile.id;
    const notices: unknown[] = [];
    test.app.subscribe((event, payload) => {
      if (event === 'notification') notices.push(payload);
    });
    expect((await router.call('profile.unlock', { profileId, password: PASSWORD }, sender)).ok).toBe(true);
    await test.app.historyReady();
    const search = await router.call('contacts.list', { userKey, search: 'person' }, sender);
    expect(search).toMatchObject({ ok: true, value: { total: 0 } });
    expect(notices).toContainEqual({
      title: 'Part of the backup could not be read',
      body: expect.stringMatching(/could not be read .*Backups of the users concerned are paused/),
      kind: 'error',
    });
    const backup = await router.call('backup.run', { userKey }, sender);
    expect(backup.ok).toBe(true);
    const done = await test.app.session!.jobs.wait((backup as { value: { id: string } }).value.id);
    expect(done.error?.message).toMatch(/cannot be read .*Other users and backups still work/);
    expect((await router.call('profile.lock', {}, sender)).ok).toBe(true);
  });
});
