import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyContact } from '../../../main/core/contacts/model';
import type { ContactQuery } from '../../../main/core/history/contact-queries';
import { catalogFingerprint } from '../../../main/core/history/first-screen';
import { HistoryStore } from '../../../main/core/history/history-store';
import { readSearchTable, type SearchTable } from '../../../main/core/history/search-table';
import { tablePage } from '../../../main/core/history/table-rows';
import { enqueueBackup } from '../../../main/core/session/backup-service';
import { contactsList, contactsListNow } from '../../../main/core/session/browse-service';
import type { ProfileSession } from '../../../main/core/session/profile-session';
import { generateContacts } from '../../support/generate-contacts';
import { MemoryBook } from '../../support/memory-provider';
import { createTestApp, type TestApp } from '../../support/test-app';
import { removeTempDirs } from '../../support/temp-dir';
import { sealBytes } from '../../../main/core/vault/sealed-file';

afterAll(removeTempDirs);

const PASSWORD = 'test password 1';
const COUNT = 1500;
const FOLDERS = ['family', 'friends', 'work', 'clients', 'suppliers'];

async function backup(session: ProfileSession, userKey: string): Promise<void> {
  const done = await session.jobs.wait(enqueueBackup(session, { userKey }, 'user', true).job.id);
  expect(done.state).toBe('succeeded');
}

/**
 * A generated address book backed up twice: the second run changes some contacts and deletes others
 * at the source, so rows have several versions and deleted ones are kept and marked.
 */
async function generatedProfile(): Promise<{ test: TestApp; book: MemoryBook; userKey: string }> {
  const test = await createTestApp();
  const book = new MemoryBook();
  book.folders = FOLDERS.map((id) => ({ id, name: id }));
  const generated = generateContacts(COUNT, { seed: 11, photoShare: 0 });
  generated.forEach(({ contact }, position) => {
    book.put(`s${position}`, { ...contact, folderIds: position % 7 ? [FOLDERS[position % 5]] : [] });
  });
  const userKey = await test.addBook('Generated', book);
  await backup(test.session, userKey);
  for (let position = 0; position < COUNT; position += 13) book.remove(`s${position}`);
  for (let position = 5; position < COUNT; position += 17) {
    book.put(`s${position}`, { ...generated[position].contact, organizations: [{ name: 'Zeta Changed' }] });
  }
  book.put('s-dup-a', emptyContact('Same Name'));
  book.put('s-dup-b', emptyContact('Same Name'));
  // A lone surrogate (UTF-8 cannot carry it) and the character the table ends rows' text with.
  book.put('s-odd', emptyContact('Odd \ud83d Name\u0000Nul'));
  await backup(test.session, userKey);
  return { test, book, userKey };
}

/** The queries the Contacts screen sends: searches of every kind, folders, sorts, deleted or not. */
function queriesFor(session: ProfileSession, userKey: string): Omit<ContactQuery, 'userKeys'>[] {
  const all = contactsList(session, { userKey }).items;
  const some = all[37];
  const details = session.history.index.contacts.get(all[41].id)!.versions.at(-1)!.contact;
  const phone = session.history.index.contacts.get(all.find((row) => row.phone)!.id)!.versions.at(-1)!.contact
    .phones[0].value;
  const digits = phone.replace(/\D+/g, '');
  const searches = [
    some.displayName.split(' ')[0],
    some.displayName.toUpperCase(),
    details.emails[0]?.value ?? 'example',
    digits.slice(2, 8),
    `${digits.slice(2, 5)} ${digits.slice(5, 8)}`,
    `(${digits.slice(2, 5)}) ${digits.slice(5, 8)}`,
    'zeta changed',
    'same name',
    'no such contact anywhere',
    `${some.displayName.split(' ')[0]} ${some.displayName.split(' ').at(-1)!.slice(0, 2)}`,
    'a',
    '\ud83d',
    'name\u0000nul',
    '\u0000',
  ];
  const queries: Omit<ContactQuery, 'userKeys'>[] = [{}, { includeDeleted: false }];
  for (const search of searches) {
    queries.push({ search }, { search, includeDeleted: false });
  }
  for (const sort of ['name', 'company', 'updated'] as const) {
    for (const descending of [false, true]) {
      queries.push({ sort, descending }, { sort, descending, includeDeleted: false, folderId: 'work' });
      queries.push({ sort, descending, search: searches[0], offset: 1, limit: 5 });
    }
  }
  queries.push({ folderId: 'family' }, { folderId: 'clients', search: 'a' }, { offset: 200, limit: 200 });
  return queries;
}

async function savedTable(session: ProfileSession): Promise<SearchTable> {
  const table = await readSearchTable(session.vault, catalogFingerprint(session.history.snapshots));
  expect(table).toBeDefined();
  return table!;
}

describe('the saved search table', () => {
  it('answers every list query exactly as the full history does', async () => {
    const { test, userKey } = await generatedProfile();
    await test.app.lock();
    const session = await test.app.unlock('Tester', PASSWORD);
    const table = await savedTable(session);
    const rows = table.users.get(userKey)!;
    expect(rows.count).toBe(COUNT + 3);
    const queries = queriesFor(session, userKey);
    let matchedSomething = 0;
    for (const query of queries) {
      const fromTable = await tablePage(rows, query, () => undefined);
      const fromHistory = contactsList(session, { ...query, userKey });
      // Same ids, same order, same total, same row fields.
      expect({ query, ...fromTable }).toEqual({ query, ...fromHistory });
      if (fromTable.total > 0 && fromTable.total < COUNT) matchedSomething += 1;
    }
    // The searches are not vacuous: most of them find some but not all contacts.
    expect(matchedSomething).toBeGreaterThan(queries.length / 2);
    await test.app.lock();
  });

  it('answers contacts.list while the history is still being read', async () => {
    const { test, userKey } = await generatedProfile();
    await test.app.lock();
    const session = await test.app.unlock('Tester', PASSWORD);
    const table = await savedTable(session);
    let readyCalled = false;
    // The history "still loading" for as long as the test wants: nothing may touch the index.
    const loading = {
      history: {
        loaded: false,
        firstScreen: () => undefined,
        searchTable: async () => table,
        ready: () => {
          readyCalled = true;
          return new Promise<void>(() => undefined);
        },
        get index(): never {
          throw new Error('The backup history is still being read');
        },
      },
    } as unknown as ProfileSession;
    const query = { userKey, search: 'a', sort: 'company' as const, offset: 10, limit: 50 };
    expect(await contactsListNow(loading, query)).toEqual(contactsList(session, query));
    expect(readyCalled).toBe(false);
    await test.app.lock();
  });

  it('is ignored when outdated, and a damaged one is logged and ignored without failing the unlock', async () => {
    const { test, book, userKey } = await generatedProfile();
    const vault = test.session.vault;
    const path = vault.pathOf('search-table');
    await test.app.lock();
    expect(existsSync(path)).toBe(true);

    let session = await test.app.unlock('Tester', PASSWORD);
    const before = catalogFingerprint(session.history.snapshots);
    book.put('s-new', emptyContact('Aaron First'));
    await backup(session, userKey);
    // Deleted with the commit: it never describes a catalog it was not computed from.
    expect(existsSync(path)).toBe(false);
    await test.app.lock();
    expect(existsSync(path)).toBe(true);
    session = await test.app.unlock('Tester', PASSWORD);
    expect(await readSearchTable(session.vault, before)).toBeUndefined();
    const fresh = await readSearchTable(session.vault, catalogFingerprint(session.history.snapshots));
    expect(fresh?.users.get(userKey)?.summaryAt(0).displayName).toBe('Aaron First');

    // A table of version 1 (JSON lines) is not used, without a warning: it is written again later.
    const oldBody = Buffer.from('{"version":1,"fingerprint":"x","users":{}}', 'utf8');
    await writeFile(path, sealBytes(session.vault.fileKey(), 'search-table', oldBody, { compress: false }));
    expect(
      await readSearchTable(session.vault, catalogFingerprint(session.history.snapshots)),
    ).toBeUndefined();
    // Nor one of version 2 (its header first, then the sections).
    const header = Buffer.from('{"version":2,"fingerprint":"x","endianness":"LE","users":[]}', 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length);
    const v2 = Buffer.concat([length, header]);
    await writeFile(path, sealBytes(session.vault.fileKey(), 'search-table', v2, { compress: false }));
    expect(
      await readSearchTable(session.vault, catalogFingerprint(session.history.snapshots)),
    ).toBeUndefined();

    await writeFile(path, Buffer.from('not a sealed file at all'));
    let warned: (message: string) => void = () => undefined;
    const warning = new Promise<string>((resolve) => (warned = resolve));
    const damaged = await HistoryStore.open(session.vault, {
      background: true,
      warn: (text) => warned(text),
    });
    expect(await damaged.searchTable()).toBeUndefined();
    expect(await warning).toMatch(/search table was not used .*searches wait for the history/);
    await damaged.ready();
    const list = await contactsListNow({ history: damaged } as unknown as ProfileSession, { userKey });
    expect(list.total).toBe(COUNT + 4);
    await test.app.lock();
  });
});
