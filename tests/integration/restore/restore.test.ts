import { afterAll, describe, expect, it } from 'vitest';
import { emptyContact, type Contact } from '../../../main/core/contacts/model';
import { enqueueBackup } from '../../../main/core/session/backup-service';
import { enqueueRestore, previewRestore } from '../../../main/core/session/restore-service';
import type { RestoreReport } from '../../../main/core/restore/restore-engine';
import type { ContactProvider } from '../../../main/core/providers/provider';
import { MemoryBook, memoryProvider, memoryWriter } from '../../support/memory-provider';
import { createTestApp, type TestApp } from '../../support/test-app';
import { removeTempDirs } from '../../support/temp-dir';

afterAll(removeTempDirs);

function person(name: string, folderIds: string[] = ['f-friends']): Contact {
  return { ...emptyContact(name), emails: [{ value: `${name.toLowerCase()}@example.org` }], folderIds };
}

async function backup(test: TestApp, userKey: string) {
  const job = enqueueBackup(test.session, { userKey }, 'user', true).job;
  const done = await test.session.jobs.wait(job.id);
  expect(done.state).toBe('succeeded');
  return done;
}

async function restore(test: TestApp, request: Parameters<typeof enqueueRestore>[1]) {
  const job = enqueueRestore(test.session, request, 'user');
  const done = await test.session.jobs.wait(job.id);
  if (done.state !== 'succeeded') throw new Error(`restore ${done.state}: ${done.error?.message}`);
  return done.result as RestoreReport;
}

function seeded(count: number): MemoryBook {
  const book = new MemoryBook();
  book.folders = [
    { id: 'f-friends', name: 'Friends' },
    { id: 'f-work', name: 'Work' },
  ];
  for (let index = 0; index < count; index += 1) {
    book.put(`s${index}`, person(`P${String(index).padStart(3, '0')}`, [index % 2 ? 'f-work' : 'f-friends']));
  }
  return book;
}

function names(book: MemoryBook): string[] {
  return [...book.contacts.values()].map((entry) => entry.contact.displayName).sort();
}

describe('restore', () => {
  it('Restore All into an emptied account recreates every contact and folder; a re-run creates nothing', async () => {
    const test = await createTestApp();
    const book = seeded(30);
    const userKey = await test.addBook('Home', book);
    await backup(test, userKey);
    const before = names(book);
    book.contacts.clear();
    book.folders = [];
    const report = await restore(test, { userKey, scope: 'all', mode: 'overwrite' });
    expect(report).toMatchObject({ created: 30, updated: 0, skipped: 0, failed: 0, foldersCreated: 2 });
    expect(names(book)).toEqual(before);
    const work = [...book.contacts.values()].filter((entry) =>
      entry.contact.folderIds.includes(book.folders.find((f) => f.name === 'Work')!.id),
    );
    expect(work).toHaveLength(15);
    const again = await restore(test, { userKey, scope: 'all', mode: 'overwrite' });
    expect(again).toMatchObject({ created: 0, updated: 30 });
    expect(book.contacts.size).toBe(30);
    const skip = await restore(test, { userKey, scope: 'all', mode: 'skip' });
    expect(skip).toMatchObject({ created: 0, updated: 0, skipped: 30 });
    expect(book.contacts.size).toBe(30);
  });

  it('new-folder mode (the default) never touches existing contacts and puts copies in a dated folder', async () => {
    const test = await createTestApp();
    const book = seeded(5);
    const userKey = await test.addBook('Home', book);
    await backup(test, userKey);
    const report = await restore(test, { userKey, scope: 'all' });
    expect(report.created).toBe(5);
    expect(report.folderName).toMatch(/^Restored \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const folder = book.folders.find((candidate) => candidate.name === report.folderName)!;
    expect(
      [...book.contacts.values()].filter((entry) => entry.contact.folderIds.includes(folder.id)),
    ).toHaveLength(5);
    expect(book.contacts.size).toBe(10);
  });

  it('restores a folder, and selected contacts, with the preview equal to what is done', async () => {
    const test = await createTestApp();
    const book = seeded(10);
    const userKey = await test.addBook('Home', book);
    await backup(test, userKey);
    for (const id of ['s1', 's2', 's3']) book.remove(id);
    await backup(test, userKey);
    // Restore Folder takes the contacts live at the time; the deleted ones only when asked for.
    const liveOnly = await previewRestore(test.session, {
      userKey,
      scope: 'folder',
      folderId: 'f-work',
      mode: 'overwrite',
    });
    expect(liveOnly).toMatchObject({ create: 0, update: 3, skip: 0 });
    const request = {
      userKey,
      scope: 'folder' as const,
      folderId: 'f-work',
      mode: 'overwrite' as const,
      includeDeleted: true,
    };
    const preview = await previewRestore(test.session, request);
    expect(preview).toMatchObject({ create: 2, update: 3, skip: 0 });
    expect(preview.names?.create).toEqual(['P001', 'P003']);
    const report = await restore(test, request);
    expect({ create: report.created, update: report.updated, skip: report.skipped }).toEqual({
      create: preview.create,
      update: preview.update,
      skip: preview.skip,
    });
    expect(book.contacts.has('s2')).toBe(false);
    const s2 = [...test.session.history.index.contacts.values()].find(
      (history) => history.versions[0].contact.displayName === 'P002',
    )!;
    const selected = await restore(test, { userKey, scope: 'contacts', contactIds: [s2.id], mode: 'skip' });
    expect(selected).toMatchObject({ created: 1, skipped: 0 });
    expect(names(book)).toContain('P002');
    // P001 and P003 came back under new ids and are linked to their history: a skip creates nothing.
    const again = await restore(test, { ...request, mode: 'skip' });
    expect(again).toMatchObject({ created: 0, skipped: 5 });
    await backup(test, userKey);
    const live = [...test.session.history.index.contactsAt(new Set([userKey]))].filter(
      (state) => !state.deleted,
    );
    expect(live.map((state) => state.version.contact.displayName).sort()).toEqual(names(book));
    expect(live).toHaveLength(10);
    const histories = [...test.session.history.index.contacts.values()].filter(
      (history) => history.userKey === userKey,
    );
    expect(histories).toHaveLength(10);
  });

  it('restores to a point in time: a contact deleted two snapshots ago comes back as it was', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    const test = await createTestApp({ clock: { now: () => new Date((now += 60_000)) } });
    const book = seeded(3);
    const userKey = await test.addBook('Home', book);
    const first = await backup(test, userKey);
    const firstAt = first.finishedAt as string;
    book.put('s0', person('Renamed'));
    await backup(test, userKey);
    book.remove('s0');
    await backup(test, userKey);
    book.put('s9', person('Newcomer'));
    await backup(test, userKey);
    const report = await restore(test, { userKey, scope: 'all', at: firstAt, mode: 'skip' });
    expect(report).toMatchObject({ created: 1, skipped: 2 });
    expect(names(book)).toEqual(['Newcomer', 'P000', 'P001', 'P002']);
  });

  it('restores into another account, matching existing contacts by email there', async () => {
    const test = await createTestApp();
    const home = seeded(4);
    const homeKey = await test.addBook('Home', home);
    const office = new MemoryBook();
    office.put('o1', person('P001'));
    const officeKey = await test.addBook('Office', office);
    await backup(test, homeKey);
    await backup(test, officeKey);
    const report = await restore(test, {
      userKey: homeKey,
      scope: 'all',
      target: officeKey,
      mode: 'overwrite',
    });
    expect(report).toMatchObject({ created: 3, updated: 1 });
    expect(office.contacts.size).toBe(4);
    expect(home.contacts.size).toBe(4);
  });

  it('a restore killed half way and run again ends with exactly one copy of each contact', async () => {
    const test = await createTestApp();
    const book = seeded(250);
    let failAfter: number | undefined;
    const flaky = (target: MemoryBook): ContactProvider => {
      const provider = memoryProvider(target);
      const writer = memoryWriter(target);
      return {
        ...provider,
        writer: () => ({
          ...writer,
          async create(items, context) {
            if (failAfter !== undefined && target.contacts.size >= failAfter) throw new Error('network cut');
            return writer.create(items, context);
          },
        }),
      };
    };
    const userKey = await test.addBook('Home', book, flaky);
    await backup(test, userKey);
    book.contacts.clear();
    failAfter = 100;
    for (const mode of ['overwrite', 'new-folder'] as const) {
      const job = enqueueRestore(test.session, { userKey, scope: 'all', mode }, 'user');
      const failed = await test.session.jobs.wait(job.id);
      expect(failed.state).toBe('failed');
      failAfter = undefined;
      const resumed = await test.session.jobs.wait(test.session.jobs.retry(job.id).job.id);
      expect(resumed.state).toBe('succeeded');
      const report = resumed.result as RestoreReport;
      expect(report.created + report.skipped + report.updated).toBe(250);
      failAfter = mode === 'overwrite' ? 350 : undefined;
    }
    // 250 restored in place + 250 copies in the dated folder, each exactly once.
    expect(book.contacts.size).toBe(500);
    const counts = new Map<string, number>();
    for (const entry of book.contacts.values())
      counts.set(entry.contact.displayName, (counts.get(entry.contact.displayName) ?? 0) + 1);
    expect([...counts.values()].every((count) => count === 2)).toBe(true);
  });

  it('refuses a read-only target with a sentence', async () => {
    const test = await createTestApp();
    const { addSampleAccount } = await import('../../../main/core/session/account-service');
    const sample = await addSampleAccount(test.session);
    const userKey = `${sample.id}/${sample.users[0].id}`;
    expect(() => enqueueRestore(test.session, { userKey, scope: 'all' }, 'user')).toThrow(/read-only/);
  });
});
