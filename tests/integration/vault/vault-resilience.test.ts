/**
 * Issue 18 items 1-3: a removed or rolled-back catalog is noticed and rebuilt, damage is contained,
 * and nothing is left behind by crashed, failed or concurrent runs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyFile, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyContact, type Contact } from '../../../main/core/contacts/model';
import { enqueueBackup } from '../../../main/core/session/backup-service';
import { enqueueDelete } from '../../../main/core/session/delete-service';
import { HistoryStore } from '../../../main/core/history/history-store';
import { checkVault } from '../../../main/core/history/integrity-check';
import { listContacts } from '../../../main/core/history/list-views';
import { VaultError, vaultIoError } from '../../../main/core/vault/errors';
import { MemoryBook } from '../../support/memory-provider';
import { createTestApp, type TestApp } from '../../support/test-app';
import { removeTempDirs } from '../../support/temp-dir';

afterAll(removeTempDirs);

const PASSWORD = 'test password 1';

function person(name: string): Contact {
  return {
    ...emptyContact(name),
    emails: [{ value: `${name.toLowerCase()}@example.org` }],
    folderIds: ['f-a'],
  };
}

async function backup(test: TestApp, userKey: string) {
  const done = await test.session.jobs.wait(enqueueBackup(test.session, { userKey }, 'user', true).job.id);
  return done;
}

async function reopen(test: TestApp): Promise<TestApp> {
  const profileId = test.session.profile.id;
  await test.app.lock();
  const session = await test.app.unlock(profileId, PASSWORD);
  return { ...test, session };
}

function names(test: TestApp): string[] {
  return listContacts(test.session.history.index, {})
    .items.map((item) => item.displayName)
    .sort();
}

async function segmentFiles(folder: string): Promise<string[]> {
  return (await readdir(join(folder, 'db', 'segments')).catch(() => [] as string[])).sort();
}

async function failure(promise: Promise<unknown>): Promise<VaultError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(VaultError);
  return error as VaultError;
}

describe('rollback and loss of the catalog (item 1)', () => {
  it('refuses to open without the catalog, names it, and check --repair rebuilds it deleting nothing', async () => {
    const test = await createTestApp();
    const book = new MemoryBook();
    book.put('a', person('Ada'));
    const userKey = await test.addBook('Home', book);
    expect((await backup(test, userKey)).state).toBe('succeeded');
    book.put('b', person('Bob'));
    expect((await backup(test, userKey)).state).toBe('succeeded');
    const folder = test.session.vault.folder;
    const segments = await segmentFiles(folder);
    await test.app.lock();
    await rm(join(folder, 'db', 'catalog.cbs'));
    await rm(join(folder, 'db', 'catalog-previous.cbs'));
    const error = await failure(test.app.unlock(test.session.profile.id, PASSWORD));
    expect(error.code).toBe('missing');
    expect(error.message).toMatch(/backup catalog \(db\/catalog\.cbs\) is missing/);
    // check (catalog only, as the CLI runs it) reports it as an error and repairs it.
    const vault = await test.app.profiles.unlock(test.session.profile.id, PASSWORD);
    const report = await checkVault(vault, await HistoryStore.open(vault, { catalogOnly: true }));
    expect(report.problems.filter((p) => p.severity === 'error').map((p) => p.where)).toContain(
      'db/catalog.cbs',
    );
    const repaired = await checkVault(vault, await HistoryStore.open(vault, { catalogOnly: true }), {
      repair: true,
    });
    expect(repaired.problems.map((p) => p.what).join('\n')).toMatch(/Rebuilt the catalog .* 2 recovered/);
    expect(await segmentFiles(folder)).toEqual(segments);
    vault.lock();
    const again = { ...test, session: await test.app.unlock(test.session.profile.id, PASSWORD) };
    expect(names(again)).toEqual(['Ada', 'Bob']);
    // The next backup reads everything again (cursors were dropped) and duplicates nothing.
    book.put('c', person('Cy'));
    expect((await backup(again, userKey)).state).toBe('succeeded');
    expect(names(again)).toEqual(['Ada', 'Bob', 'Cy']);
  });

  it('refuses an older catalog put back, and check --repair recovers the newer backups', async () => {
    const test = await createTestApp();
    const book = new MemoryBook();
    book.put('a', person('Ada'));
    const userKey = await test.addBook('Home', book);
    await backup(test, userKey);
    const folder = test.session.vault.folder;
    const old = join(folder, '..', 'old-catalog.cbs');
    await copyFile(join(folder, 'db', 'catalog.cbs'), old);
    book.put('b', person('Bob'));
    await backup(test, userKey);
    const segments = await segmentFiles(folder);
    await test.app.lock();
    await copyFile(old, join(folder, 'db', 'catalog.cbs'));
    const error = await failure(test.app.unlock(test.session.profile.id, PASSWORD));
    expect(error.code).toBe('rolled-back');
    expect(error.message).toMatch(/older than the one last saved/);
    const vault = await test.app.profiles.unlock(test.session.profile.id, PASSWORD);
    const store = await HistoryStore.open(vault, { catalogOnly: true });
    expect(store.catalogProblem?.code).toBe('rolled-back');
    // Without --repair nothing is removed, and the newer segments are not called leftovers to delete.
    const found = await checkVault(vault, store);
    expect(found.problems.filter((p) => /no backup uses/.test(p.what)).every((p) => !p.repairable)).toBe(
      true,
    );
    await checkVault(vault, await HistoryStore.open(vault, { catalogOnly: true }), { repair: true });
    expect(await segmentFiles(folder)).toEqual(segments);
    vault.lock();
    const again = { ...test, session: await test.app.unlock(test.session.profile.id, PASSWORD) };
    expect(names(again)).toEqual(['Ada', 'Bob']);
    expect(again.session.history.snapshots).toHaveLength(2);
  });

  it('keeps the previous catalog beside the current one', async () => {
    const test = await createTestApp();
    const book = new MemoryBook();
    book.put('a', person('Ada'));
    const userKey = await test.addBook('Home', book);
    await backup(test, userKey);
    book.put('b', person('Bob'));
    await backup(test, userKey);
    const files = await readdir(join(test.session.vault.folder, 'db'));
    expect(files).toEqual(expect.arrayContaining(['catalog.cbs', 'catalog-previous.cbs']));
  });
});

describe('damage is contained (item 2)', () => {
  for (const side of ['tasks', 'audit', 'settings', 'first-screen']) {
    it(`opens the profile when ${side}.cbs is damaged (a side file is moved aside with a warning)`, async () => {
      const test = await createTestApp();
      const book = new MemoryBook();
      book.put('a', person('Ada'));
      const userKey = await test.addBook('Home', book);
      await backup(test, userKey);
      await test.session.settings.update(() => undefined);
      await test.app.lock();
      const path = join(test.session.vault.folder, 'db', `${side}.cbs`);
      const bytes = await readFile(path);
      bytes[Math.floor(bytes.length / 2)] ^= 0x01;
      await writeFile(path, bytes);
      const again = { ...test, session: await test.app.unlock(test.session.profile.id, PASSWORD) };
      expect(names(again)).toEqual(['Ada']);
      if (side !== 'first-screen') {
        expect(again.session.openWarnings.join(' ')).toMatch(/was damaged .* moved aside to damaged\//);
        expect(await readdir(join(test.session.vault.folder, 'damaged'))).toHaveLength(1);
      }
      expect((await backup(again, userKey)).state).toBe('succeeded');
    });
  }

  it('a damaged segment fails only what needs it; other users stay browsable and backed up', async () => {
    const test = await createTestApp();
    const home = new MemoryBook();
    home.put('a', person('Ada'));
    const work = new MemoryBook();
    work.put('w', person('Wes'));
    const homeKey = await test.addBook('Home', home);
    const workKey = await test.addBook('Work', work);
    await backup(test, homeKey);
    await backup(test, workKey);
    const segment = test.session.history.snapshots.find((s) => s.userKey === homeKey)!.segments[0];
    const path = join(test.session.vault.folder, 'db', 'segments', `${segment}.cbs`);
    const bytes = await readFile(path);
    bytes[bytes.length - 3] ^= 0x10;
    await writeFile(path, bytes);
    const again = await reopen(test);
    expect(again.session.history.damaged.map((d) => d.segmentId)).toEqual([segment]);
    expect(names(again)).toEqual(['Wes']);
    work.put('x', person('Xia'));
    expect((await backup(again, workKey)).state).toBe('succeeded');
    const blocked = await backup(again, homeKey);
    expect(blocked.state).toBe('failed');
    expect(blocked.error?.message).toMatch(/cannot be read .* Other users and backups still work/);
    // check names the file and says what needs it, without loading the history.
    const report = await checkVault(
      again.session.vault,
      await HistoryStore.open(again.session.vault, { catalogOnly: true }),
    );
    expect(report.problems.find((p) => p.where.includes(segment))?.severity).toBe('error');
    // A missing segment is contained the same way.
    await rm(path);
    const third = await reopen(again);
    expect(names(third)).toEqual(['Wes', 'Xia']);
  });
});

describe('nothing left behind (item 3)', () => {
  it('removes the retired segments of a delete killed after its catalog write on the next open', async () => {
    const test = await createTestApp();
    const book = new MemoryBook();
    book.put('a', person('Ada'));
    book.put('b', person('Secret Bob'));
    const userKey = await test.addBook('Home', book);
    await backup(test, userKey);
    const bob = listContacts(test.session.history.index, {}).items.find(
      (i) => i.displayName === 'Secret Bob',
    )!;
    const before = await segmentFiles(test.session.vault.folder);
    // The process "dies" right after the catalog write: removing the old segment never happens.
    const store = test.session.history;
    store.removeSegmentFile = () => Promise.reject(new Error('killed'));
    const job = await enqueueDelete(
      test.session,
      { userKey, contactIds: [bob.id], password: PASSWORD },
      'user',
    );
    expect((await test.session.jobs.wait(job.id)).state).toBe('failed');
    expect(store.catalogData().retired).toEqual(before.map((name) => name.slice(0, -4)));
    const again = await reopen(test);
    expect(again.session.history.catalogData().retired).toEqual([]);
    const after = await segmentFiles(test.session.vault.folder);
    expect(after.some((name) => before.includes(name))).toBe(false);
    expect(names(again)).toEqual(['Ada']);
    expect(again.session.history.cleanUpReport?.retiredSegments).toBe(1);
  });

  it('two concurrent backups storing the same photo both succeed', async () => {
    const test = await createTestApp();
    const photo = Buffer.from('the same photo bytes in both address books');
    const first = new MemoryBook();
    const second = new MemoryBook();
    for (let n = 0; n < 40; n += 1) {
      first.put(`a${n}`, person(`Ann ${n}`), photo);
      second.put(`b${n}`, person(`Ben ${n}`), photo);
    }
    const one = await test.addBook('One', first);
    const two = await test.addBook('Two', second);
    const jobs = [
      enqueueBackup(test.session, { userKey: one }, 'user', true).job,
      enqueueBackup(test.session, { userKey: two }, 'user', true).job,
    ];
    const done = await Promise.all(jobs.map((job) => test.session.jobs.wait(job.id)));
    expect(done.map((job) => job.state)).toEqual(['succeeded', 'succeeded']);
    // And the store itself: many writers of one photo at once.
    const blobs = test.session.vault.blobs;
    const same = Buffer.from('another photo');
    const ids = await Promise.all(Array.from({ length: 20 }, () => blobs.put(same)));
    expect(new Set(ids).size).toBe(1);
    expect(await blobs.get(ids[0])).toEqual(same);
  });

  it('removes photos of a failed run and stale temp files on the next open', async () => {
    const test = await createTestApp();
    const book = new MemoryBook();
    book.put('a', person('Ada'), Buffer.from('kept photo'));
    const userKey = await test.addBook('Home', book);
    await backup(test, userKey);
    for (let n = 0; n < 120; n += 1) book.put(`n${n}`, person(`New ${n}`), Buffer.from(`photo ${n}`));
    book.failAfterPages = 1;
    expect((await backup(test, userKey)).state).toBe('failed');
    const blobs = test.session.vault.blobs;
    expect((await blobs.list()).length).toBeGreaterThan(1);
    const stale = join(test.session.vault.folder, 'db', '.settings.cbs.999999.0123abcd.tmp');
    await writeFile(stale, 'half a file');
    const again = await reopen(test);
    expect(await again.session.vault.blobs.list()).toHaveLength(1);
    await expect(readFile(stale)).rejects.toThrow();
    expect(again.session.history.cleanUpReport).toMatchObject({ temporaryFiles: 1 });
    expect(names(again)).toEqual(['Ada']);
  });

  it('a photo write that fails (disk full) fails the backup with a sentence, and the next one stores every photo', async () => {
    const test = await createTestApp();
    const book = new MemoryBook();
    for (let n = 0; n < 40; n += 1) book.put(`p${n}`, person(`Photo ${n}`), Buffer.from(`photo bytes ${n}`));
    const userKey = await test.addBook('Home', book);
    const blobs = test.session.vault.blobs;
    const realPrepare = blobs.prepare.bind(blobs);
    let calls = 0;
    // Photos are written a few at a time beside the reading: the last write fails, after the
    // reading is over, so only the wait before the commit can see it.
    blobs.prepare = (bytes) => {
      const blob = realPrepare(bytes);
      calls += 1;
      if (calls !== 40) return blob;
      const write = async (): Promise<string> => {
        await new Promise((resolve) => setImmediate(resolve));
        throw vaultIoError(
          Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }),
          'a photo in the backup',
        );
      };
      return { id: blob.id, write };
    };
    const failed = await backup(test, userKey);
    expect(failed.state).toBe('failed');
    expect(failed.error?.message).toMatch(/disk is full/i);
    expect(test.session.history.snapshots).toHaveLength(0);
    blobs.prepare = realPrepare;
    expect((await backup(test, userKey)).state).toBe('succeeded');
    const again = await reopen(test);
    expect(names(again)).toHaveLength(40);
    // Every stored contact's photo is on disk and opens.
    const index = again.session.history.index;
    const photos = [...index.contactsAt(undefined)].map((state) => state.version.contact.photo?.hash);
    expect(photos.filter(Boolean)).toHaveLength(40);
    for (const hash of photos)
      await expect(again.session.vault.blobs.get(hash!)).resolves.toBeInstanceOf(Buffer);
  });

  it('a failed audit write (disk full) does not poison a long-running host nor fail a saved backup', async () => {
    const test = await createTestApp();
    const book = new MemoryBook();
    book.put('a', person('Ada'));
    const userKey = await test.addBook('Home', book);
    const file = (test.session.audit as unknown as { file: { write(): Promise<void> } }).file;
    const realWrite = file.write.bind(file);
    let full = true;
    file.write = () =>
      full
        ? Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }))
        : realWrite();
    const saved = await backup(test, userKey);
    expect(saved.state).toBe('succeeded');
    expect(test.session.history.snapshots).toHaveLength(1);
    // Space comes back: later jobs work and the earlier entry is written with the next one.
    full = false;
    book.put('b', person('Bob'));
    expect((await backup(test, userKey)).state).toBe('succeeded');
    const again = await reopen(test);
    const backups = again.session.audit.list({ action: 'backup' });
    expect(backups).toHaveLength(2);
  });
});
