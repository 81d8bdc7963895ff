import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Vault } from '../../../main/core/vault/vault';
import { HistoryStore } from '../../../main/core/history/history-store';
import { runBackup } from '../../../main/core/history/backup-engine';
import { emptyContact, type Contact } from '../../../main/core/contacts/model';
import { listContacts } from '../../../main/core/history/list-views';
import { MemoryBook, memoryProvider } from '../../support/memory-provider';
import { testContext } from '../../support/work-context';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

const USER = 'acct/me';

function person(name: string, extra: Partial<Contact> = {}): Contact {
  return {
    ...emptyContact(name),
    emails: [{ value: `${name.toLowerCase().replace(/\s+/g, '.')}@example.org`, type: 'home' }],
    ...extra,
  };
}

let clock = Date.parse('2026-01-01T00:00:00Z');
const now = () => new Date((clock += 60_000));

async function setup() {
  const folder = await tempDir();
  const vault = await Vault.create(folder, 'p', 'password 1234');
  const store = await HistoryStore.open(vault);
  const book = new MemoryBook();
  const backup = (options: { sourceIds?: string[]; store?: HistoryStore } = {}) =>
    runBackup({
      store: options.store ?? store,
      blobs: vault.blobs,
      provider: memoryProvider(book),
      userKey: USER,
      userId: 'me',
      context: testContext(),
      now,
      sourceIds: options.sourceIds,
    });
  return { folder, vault, store, book, backup };
}

describe('backup engine', () => {
  beforeEach(() => {
    clock = Date.parse('2026-01-01T00:00:00Z');
  });

  it('stores every contact, then adds no revision when nothing changed', async () => {
    const { store, book, backup } = await setup();
    for (let index = 0; index < 120; index += 1) book.put(`s${index}`, person(`Person ${index}`));
    const first = await backup();
    expect(first.snapshot.counts).toEqual({ added: 120, changed: 0, deleted: 0, unchanged: 0 });
    expect(first.full).toBe(true);
    const second = await backup();
    expect(second.snapshot.counts).toEqual({ added: 0, changed: 0, deleted: 0, unchanged: 120 });
    const versions = [...store.index.contacts.values()].reduce(
      (sum, history) => sum + history.versions.length,
      0,
    );
    expect(versions).toBe(120);
  });

  it('adds exactly one revision for an edited contact and keeps the old one', async () => {
    const { store, book, backup } = await setup();
    book.put('a', person('Ada Lovelace'));
    book.put('b', person('Alan Turing'));
    await backup();
    book.put('a', person('Ada King', { notes: 'Countess of Lovelace' }));
    const result = await backup();
    expect(result.snapshot.counts.changed).toBe(1);
    const id = store.index.idForSource(USER, 'a')!;
    const history = store.index.contacts.get(id)!;
    expect(history.versions.map((version) => version.contact.displayName)).toEqual([
      'Ada Lovelace',
      'Ada King',
    ]);
    expect(history.versions[0].until?.deleted).toBe(false);
  });

  it('keeps contacts deleted at the source, marked deleted, and shows them as of an earlier time', async () => {
    const { store, book, backup } = await setup();
    book.put('a', person('Ada'));
    book.put('b', person('Bob'));
    const first = await backup();
    book.remove('b');
    const second = await backup();
    expect(second.snapshot.counts.deleted).toBe(1);
    const now = listContacts(store.index, {});
    expect(now.items.map((item) => [item.displayName, item.deleted])).toEqual([
      ['Ada', false],
      ['Bob', true],
    ]);
    const before = listContacts(store.index, { at: first.snapshot.finishedAt });
    expect(before.items.map((item) => [item.displayName, item.deleted])).toEqual([
      ['Ada', false],
      ['Bob', false],
    ]);
    expect(listContacts(store.index, { includeDeleted: false }).total).toBe(1);
  });

  it('detects deletions on a full read (no cursor) and re-adds a contact that comes back', async () => {
    const { store, book, backup } = await setup();
    book.fullOnly = true;
    book.put('a', person('Ada'));
    book.put('b', person('Bob'));
    await backup();
    book.contacts.delete('b');
    expect((await backup()).snapshot.counts.deleted).toBe(1);
    book.put('b', person('Bob'));
    expect((await backup()).snapshot.counts.added).toBe(1);
    const bob = store.index.contacts.get(store.index.idForSource(USER, 'b')!)!;
    expect(bob.versions).toHaveLength(2);
    expect(listContacts(store.index, { search: 'bob' }).items[0].deleted).toBe(false);
  });

  it('survives a reopen: history, cursor and versions come back from disk', async () => {
    const { vault, book, backup } = await setup();
    book.put('a', person('Ada'));
    await backup();
    book.put('a', person('Ada B'));
    await backup();
    const reopened = await HistoryStore.open(vault);
    expect(reopened.snapshots).toHaveLength(2);
    expect(reopened.cursor(USER)).toBe(String(book.clock));
    const history = [...reopened.index.contacts.values()][0];
    expect(history.versions.map((version) => version.contact.displayName)).toEqual(['Ada', 'Ada B']);
  });

  it('downloads a photo once and stores it as a blob', async () => {
    const { vault, store, book, backup } = await setup();
    book.put('a', person('Ada'), Buffer.from('PNG-bytes-1'));
    await backup();
    expect(book.photoLoads).toBe(1);
    book.put('a', person('Ada', { notes: 'changed' }), Buffer.from('PNG-bytes-1'));
    await backup();
    expect(book.photoLoads).toBe(1);
    const photo = [...store.index.contacts.values()][0].versions[1].contact.photo!;
    expect(await vault.blobs.get(photo.hash)).toEqual(Buffer.from('PNG-bytes-1'));
    book.put('a', person('Ada', { notes: 'changed' }), Buffer.from('PNG-bytes-2'));
    expect((await backup()).snapshot.counts.changed).toBe(1);
    expect(book.photoLoads).toBe(2);
  });

  it('leaves the history untouched when a backup fails half way, and the next run completes', async () => {
    const { vault, store, book, backup } = await setup();
    for (let index = 0; index < 100; index += 1) book.put(`s${index}`, person(`P${index}`));
    await backup();
    for (let index = 0; index < 100; index += 1) book.put(`s${index}`, person(`P${index} edited`));
    book.failAfterPages = 1;
    await expect(backup()).rejects.toThrow('connection reset');
    expect(store.snapshots).toHaveLength(1);
    expect(await store.orphanSegments()).toEqual([]);
    const reopened = await HistoryStore.open(vault);
    expect(listContacts(reopened.index, { search: 'edited' }).total).toBe(0);
    expect((await backup()).snapshot.counts.changed).toBe(100);
  });

  it('flags a mass deletion at the threshold and not below', async () => {
    const { book, backup } = await setup();
    for (let index = 0; index < 100; index += 1) book.put(`s${index}`, person(`P${index}`));
    await backup();
    for (let index = 0; index < 20; index += 1) book.remove(`s${index}`);
    expect((await backup()).massDeletion).toBeUndefined();
    for (let index = 20; index < 38; index += 1) book.remove(`s${index}`);
    // 18 of the 80 left is 22.5%: more than 20% and at least 10.
    expect((await backup()).massDeletion).toEqual({ deleted: 18, before: 80 });
  });

  it('does not flag deletions of fewer than ten contacts even in a small book', async () => {
    const { book, backup } = await setup();
    for (let index = 0; index < 10; index += 1) book.put(`s${index}`, person(`P${index}`));
    await backup();
    for (let index = 0; index < 9; index += 1) book.remove(`s${index}`);
    expect((await backup()).massDeletion).toBeUndefined();
  });

  it('backs up selected contacts only, inferring no deletions', async () => {
    const { store, book, backup } = await setup();
    book.put('a', person('Ada'));
    book.put('b', person('Bob'));
    await backup();
    book.put('a', person('Ada 2'));
    book.put('b', person('Bob 2'));
    const result = await backup({ sourceIds: ['a'] });
    expect(result.snapshot.kind).toBe('selected');
    expect(result.snapshot.counts).toEqual({ added: 0, changed: 1, deleted: 0, unchanged: 0 });
    expect(listContacts(store.index, {}).items.map((item) => item.displayName)).toEqual(['Ada 2', 'Bob']);
  });

  it('is cancellable: an aborted run commits nothing', async () => {
    const { store, book, vault } = await setup();
    for (let index = 0; index < 300; index += 1) book.put(`s${index}`, person(`P${index}`));
    const controller = new AbortController();
    const context = {
      ...testContext(controller.signal),
      progress: (done: number) => done >= 100 && controller.abort(new Error('Cancelled')),
    };
    await expect(
      runBackup({
        store,
        blobs: vault.blobs,
        provider: memoryProvider(book),
        userKey: USER,
        userId: 'me',
        context,
        now,
      }),
    ).rejects.toThrow('Cancelled');
    expect(store.snapshots).toHaveLength(0);
    expect(store.index.contacts.size).toBe(0);
  });
});

describe('search', () => {
  it('matches every field, and part of a phone number whatever its spacing', async () => {
    const { store, book, backup } = await setup();
    book.put(
      'a',
      person('Ada', { phones: [{ value: '+44 (20) 7946-0958', type: 'work' }], notes: 'Analytical engine' }),
    );
    book.put('b', person('Bob', { addresses: [{ city: 'Zürich', type: 'home' }] }));
    await backup();
    const names = (search: string) =>
      listContacts(store.index, { search }).items.map((item) => item.displayName);
    expect(names('7946 09')).toEqual(['Ada']);
    expect(names('2079460958')).toEqual(['Ada']);
    expect(names('analytical')).toEqual(['Ada']);
    expect(names('zürich')).toEqual(['Bob']);
    expect(names('ada engine')).toEqual(['Ada']);
    expect(names('ada zürich')).toEqual([]);
  });
});
