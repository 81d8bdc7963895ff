import { afterAll, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyContact, type Contact } from '../../../main/core/contacts/model';
import { enqueueBackup, applyRetention } from '../../../main/core/session/backup-service';
import { enqueueDelete, wrongPasswordDelay } from '../../../main/core/session/delete-service';
import { clearExclusions } from '../../../main/core/session/exclusion-service';
import { enqueueCheck, snapshotDiff } from '../../../main/core/session/maintenance-service';
import { checkVault, type CheckResult } from '../../../main/core/history/integrity-check';
import { retentionDrops } from '../../../main/core/history/retention';
import { listContacts } from '../../../main/core/history/list-views';
import { MemoryBook } from '../../support/memory-provider';
import { createTestApp, type TestApp } from '../../support/test-app';
import { removeTempDirs } from '../../support/temp-dir';

afterAll(removeTempDirs);

const DAY = 86_400_000;

function person(name: string, extra: Partial<Contact> = {}): Contact {
  return {
    ...emptyContact(name),
    emails: [{ value: `${name.toLowerCase()}@example.org` }],
    folderIds: ['f-a'],
    ...extra,
  };
}

async function backup(test: TestApp, userKey: string) {
  const done = await test.session.jobs.wait(enqueueBackup(test.session, { userKey }, 'user', true).job.id);
  expect(done.state).toBe('succeeded');
  return done;
}

async function listFiles(folder: string): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && !entry.name.endsWith('.tmp'))
      files[join(entry.parentPath, entry.name)] = await readFile(join(entry.parentPath, entry.name));
  }
  return files;
}

describe('delete from the backup', () => {
  it('deletes nothing with a wrong password, slows repeated tries, and deletes with the right one', async () => {
    const test = await createTestApp();
    const book = new MemoryBook();
    book.folders = [{ id: 'f-a', name: 'A' }];
    book.put('a', person('Ada'), Buffer.from('photo-of-ada'));
    book.put('b', person('Bob'));
    const userKey = await test.addBook('Home', book);
    await backup(test, userKey);
    await test.session.jobs.persistNow();
    const ada = listContacts(test.session.history.index, { search: 'ada' }).items[0];
    const profileFolder = test.session.vault.folder;
    const before = await listFiles(join(profileFolder, 'db', 'segments'));
    const blobsBefore = await test.session.vault.blobs.list();
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await expect(
        enqueueDelete(test.session, { userKey, contactIds: [ada.id], password: 'wrong one' }, 'user', sleep),
      ).rejects.toThrow(/not correct\. Nothing was deleted/);
    }
    expect(waits).toEqual([0, wrongPasswordDelay(1), wrongPasswordDelay(2)]);
    expect(wrongPasswordDelay(2)).toBeGreaterThan(wrongPasswordDelay(1));
    expect(await listFiles(join(profileFolder, 'db', 'segments'))).toEqual(before);
    expect(await test.session.vault.blobs.list()).toEqual(blobsBefore);

    const job = await enqueueDelete(
      test.session,
      { userKey, contactIds: [ada.id], password: 'test password 1' },
      'user',
      sleep,
    );
    const done = await test.session.jobs.wait(job.id);
    expect(done.state).toBe('succeeded');
    expect(done.counts).toMatchObject({ contacts: 1, revisions: 1, photos: 1 });
    expect(listContacts(test.session.history.index, {}).items.map((item) => item.displayName)).toEqual([
      'Bob',
    ]);
    expect(await test.session.vault.blobs.list()).toEqual([]);
    // Gone from disk too: a reopened history does not have it.
    await test.session.history.reload();
    expect(test.session.history.index.contacts.has(ada.id)).toBe(false);
    const audit = test.session.audit.list({ action: 'delete' }).map((entry) => entry.description);
    expect(audit.filter((text) => /wrong backup password/.test(text))).toHaveLength(3);
    expect(audit[0]).toMatch(/Deleted 1 contact/);
  });

  it('deletes a folder with every contact it ever held', async () => {
    const test = await createTestApp();
    const book = new MemoryBook();
    book.folders = [
      { id: 'f-a', name: 'A' },
      { id: 'f-b', name: 'B' },
    ];
    book.put('a', person('Ada'));
    book.put('b', person('Bob', { folderIds: ['f-b'] }));
    book.put('c', person('Cy', { folderIds: ['f-b'] }));
    const userKey = await test.addBook('Home', book);
    await backup(test, userKey);
    book.put('c', person('Cy', { folderIds: ['f-a'] }));
    await backup(test, userKey);
    const job = await enqueueDelete(
      test.session,
      { userKey, folderId: 'f-b', password: 'test password 1' },
      'user',
      async () => undefined,
    );
    expect((await test.session.jobs.wait(job.id)).state).toBe('succeeded');
    expect(listContacts(test.session.history.index, {}).items.map((item) => item.displayName)).toEqual([
      'Ada',
    ]);
    expect(test.session.history.index.foldersAt(userKey).map((folder) => folder.name)).toEqual(['A']);
  });

  it('backs a deleted contact up again if it is still at the source, unless asked to keep it out', async () => {
    const test = await createTestApp();
    const book = new MemoryBook();
    book.folders = [{ id: 'f-a', name: 'A' }];
    book.put('a', person('Ada'));
    book.put('b', person('Bob'));
    book.put('c', person('Cy'));
    const userKey = await test.addBook('Home', book);
    await backup(test, userKey);
    const idOf = (name: string) =>
      listContacts(test.session.history.index, {}).items.find((item) => item.displayName === name)!.id;
    const remove = async (contactId: string, keepOutOfBackups: boolean) => {
      const job = await enqueueDelete(
        test.session,
        { userKey, contactIds: [contactId], password: 'test password 1', keepOutOfBackups },
        'user',
        async () => undefined,
      );
      expect((await test.session.jobs.wait(job.id)).state).toBe('succeeded');
    };
    await remove(idOf('Ada'), false);
    await remove(idOf('Bob'), true);
    expect(listContacts(test.session.history.index, {}).items.map((item) => item.displayName)).toEqual([
      'Cy',
    ]);
    // Once the source reports them again (here: both change), Ada comes back as a new contact with
    // one version; Bob stays out.
    book.put('a', person('Ada', { notes: 'changed at the source' }));
    book.put('b', person('Bob', { notes: 'changed at the source' }));
    await backup(test, userKey);
    await backup(test, userKey);
    const names = listContacts(test.session.history.index, {}).items.map((item) => [
      item.displayName,
      item.versions,
    ]);
    expect(names).toEqual([
      ['Ada', 1],
      ['Cy', 1],
    ]);
    // Letting Bob back in: the next time the source reports him, he is stored again.
    expect(await clearExclusions(test.session, userKey)).toBe(1);
    book.put('b', person('Bob', { notes: 'changed again' }));
    await backup(test, userKey);
    expect(listContacts(test.session.history.index, {}).items.map((item) => item.displayName)).toEqual([
      'Ada',
      'Bob',
      'Cy',
    ]);
  });
});

describe('retention', () => {
  it('keeps exactly the last N revisions, the current one always, and deleted contacts as long as told', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clock = { now: () => new Date(now) };
    const test = await createTestApp({ clock });
    const book = new MemoryBook();
    const userKey = await test.addBook('Home', book);
    for (let revision = 1; revision <= 5; revision += 1) {
      book.put('a', person('Ada', { notes: `revision ${revision}` }));
      if (revision === 1) book.put('gone', person('Gone'));
      if (revision === 2) book.remove('gone');
      now += DAY;
      await backup(test, userKey);
    }
    const ada = () =>
      [...test.session.history.index.contacts.values()].find((history) => history.sourceId === 'a')!;
    expect(ada().versions).toHaveLength(5);

    await test.session.settings.update((settings) => {
      settings.retention = { policy: { kind: 'last', revisions: 2 } };
    });
    const result = await applyRetention(test.session, userKey);
    expect(result.revisionsRemoved).toBe(3);
    expect(ada().versions.map((version) => version.contact.notes)).toEqual(['revision 4', 'revision 5']);
    expect(listContacts(test.session.history.index, { search: 'gone' }).items[0]?.deleted).toBe(true);

    await test.session.settings.update((settings) => {
      settings.retention = {
        policy: { kind: 'all' },
        deletedKeepDays: 30,
        purgeDelayDays: 0,
      };
    });
    expect((await applyRetention(test.session, userKey)).contactsRemoved).toBe(0);
    now += 40 * DAY;
    expect((await applyRetention(test.session, userKey)).contactsRemoved).toBe(1);
    expect(listContacts(test.session.history.index, { search: 'gone' }).total).toBe(0);
  });

  it('keeps revisions for D days, with a purge delay postponing removals', async () => {
    let now = Date.parse('2026-02-01T00:00:00Z');
    const test = await createTestApp({ clock: { now: () => new Date(now) } });
    const book = new MemoryBook();
    const userKey = await test.addBook('Home', book);
    for (let revision = 1; revision <= 4; revision += 1) {
      book.put('a', person('Ada', { notes: `r${revision}` }));
      await backup(test, userKey);
      now += 10 * DAY;
    }
    // Revisions ended at day 10, 20, 30; now is day 40.
    const drops = (days: number, delay = 0) =>
      retentionDrops(
        test.session.history.index,
        { policy: { kind: 'days', days }, purgeDelayDays: delay },
        new Date(now),
      ).versions.size;
    expect(drops(15)).toBe(2);
    expect(drops(25)).toBe(1);
    expect(drops(15, 12)).toBe(1);
    expect(drops(100)).toBe(0);
  });
});

describe('check', () => {
  it('finds a flipped byte in any file of the vault, and a clean vault has no error', async () => {
    const test = await createTestApp();
    const book = new MemoryBook();
    book.put('a', person('Ada'), Buffer.from('photo'));
    const userKey = await test.addBook('Home', book);
    await backup(test, userKey);
    await test.session.jobs.persistNow();
    // Called directly: a check job would rewrite the job list (tasks.cbs) before reading it.
    const run = () => checkVault(test.session.vault, test.session.history);
    expect((await run()).problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    const files = Object.keys(await listFiles(test.session.vault.folder)).filter(
      (path) => !path.endsWith('vault.json') && !path.endsWith('owner.lock'),
    );
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const path of files) {
      const original = await readFile(path);
      const flipped = Buffer.from(original);
      flipped[Math.floor(flipped.length / 2)] ^= 0x40;
      await writeFile(path, flipped);
      const result = await run();
      const where = path.slice(test.session.vault.folder.length + 1);
      expect(
        result.problems.filter((problem) => problem.severity === 'error').map((problem) => problem.where),
      ).toContain(where);
      await writeFile(path, original);
    }
  });

  it('reports and repairs what an interrupted backup left, and nothing referenced', async () => {
    const test = await createTestApp();
    const book = new MemoryBook();
    book.put('a', person('Ada'));
    const userKey = await test.addBook('Home', book);
    await backup(test, userKey);
    const writer = test.session.history.begin(userKey, 'incremental', new Date());
    await writer.put('x', person('Orphan'), 'hash');
    await writer.flush();
    await test.session.vault.blobs.put(Buffer.from('unreferenced photo'));
    const check = async (repair: boolean) =>
      (await test.session.jobs.wait(enqueueCheck(test.session, repair, 'user').id)).result as CheckResult;
    const found = await check(false);
    expect(found.problems.map((problem) => problem.what)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/no backup uses/),
        expect.stringMatching(/no contact uses/),
      ]),
    );
    expect((await check(true)).repaired).toBe(2);
    expect((await check(false)).problems).toEqual([]);
    expect(listContacts(test.session.history.index, {}).total).toBe(1);
  });
});

describe('diff', () => {
  it('lists added, changed (with the fields) and deleted contacts between two backups', async () => {
    const test = await createTestApp();
    const book = new MemoryBook();
    book.put('a', person('Ada'));
    book.put('b', person('Bob'));
    const userKey = await test.addBook('Home', book);
    await backup(test, userKey);
    book.put('a', person('Ada', { notes: 'new note', phones: [{ value: '123' }] }));
    book.remove('b');
    book.put('c', person('Cy'));
    await backup(test, userKey);
    const [first, second] = test.session.history.snapshots;
    const diff = snapshotDiff(test.session, userKey, first.id, second.id);
    expect(diff.added.map((item) => item.displayName)).toEqual(['Cy']);
    expect(diff.changed).toEqual([
      expect.objectContaining({ displayName: 'Ada', fields: ['notes', 'phones'] }),
    ]);
    expect(diff.deleted.map((item) => item.displayName)).toEqual(['Bob']);
    expect(snapshotDiff(test.session, userKey, second.id, first.id)).toEqual(diff);
  });
});
