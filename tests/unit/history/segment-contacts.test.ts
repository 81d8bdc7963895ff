import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Vault } from '../../../main/core/vault/vault';
import { VaultError } from '../../../main/core/vault/errors';
import { HistoryStore } from '../../../main/core/history/history-store';
import { runBackup } from '../../../main/core/history/backup-engine';
import { emptyContact, type Contact } from '../../../main/core/contacts/model';
import { currentRows, ensureSearchables, listContacts } from '../../../main/core/history/list-views';
import { MemoryBook, memoryProvider } from '../../support/memory-provider';
import { testContext } from '../../support/work-context';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

const USER = 'acct/me';
/** Over two segments' worth (2,000 puts each): three segment files. */
const COUNT = 4100;

function person(index: number): Contact {
  // Names sort in the opposite order to the source's: the list jumps between segments.
  const name = `Person ${String(COUNT - index).padStart(5, '0')}`;
  return {
    ...emptyContact(name),
    emails: [{ value: `person.${index}@example.org`, type: 'home' }],
    notes: `note of ${index}`,
  };
}

async function backedUp() {
  const vault = await Vault.create(await tempDir(), 'p', 'password 1234');
  const store = await HistoryStore.open(vault);
  const book = new MemoryBook();
  for (let index = 0; index < COUNT; index += 1) book.put(`s${index}`, person(index));
  let clock = Date.parse('2026-01-01T00:00:00Z');
  await runBackup({
    store,
    blobs: vault.blobs,
    provider: memoryProvider(book),
    userKey: USER,
    userId: 'me',
    context: testContext(),
    now: () => new Date((clock += 60_000)),
  });
  // As after unlocking: the index is read from the segments.
  await store.reload();
  return { vault, store };
}

describe('contacts read from their segments', () => {
  it('keeps no contact in the index and reads one segment for one contact', async () => {
    const { store } = await backedUp();
    expect(store.snapshots[0]!.segments).toHaveLength(3);
    const readNow = vi.spyOn(store, 'openSegmentNow');
    const history = store.index.contacts.get(store.index.idForSource(USER, 's2500')!)!;
    const version = history.versions[0]!;
    expect(version.brief.displayName).toBe(person(2500).displayName);
    expect(version.contact).toEqual(person(2500));
    expect(readNow).toHaveBeenCalledTimes(1);
    expect(readNow).toHaveBeenCalledWith(version.segment.id);
    // A neighbour in the same segment is already there.
    const neighbour = store.index.contacts.get(store.index.idForSource(USER, 's2501')!)!;
    expect(neighbour.versions[0]!.contact.notes).toBe('note of 2501');
    expect(readNow).toHaveBeenCalledTimes(1);
  });

  it('reads each segment once to search a list in name order', async () => {
    const { store } = await backedUp();
    const readNow = vi.spyOn(store, 'openSegmentNow');
    const readLater = vi.spyOn(store, 'openSegment');
    const rows = await currentRows(store.index, new Set([USER]));
    // The list is in name order, the opposite of the segments' order.
    expect(rows.summaries[0]!.displayName).toBe(person(COUNT - 1).displayName);
    await ensureSearchables(rows);
    // In storage order, each read ahead off the thread: never one inline.
    expect(readLater.mock.calls.map(([id]) => id)).toEqual(store.snapshots[0]!.segments);
    expect(readNow).not.toHaveBeenCalled();
    const found = listContacts(store.index, { userKeys: new Set([USER]), search: 'note of 17' });
    expect(found.items.map((item) => item.displayName)).toContain(person(17).displayName);
  });

  it('says which backup file is missing when a contact cannot be read', async () => {
    const { vault, store } = await backedUp();
    const version = store.index.contacts.get(store.index.idForSource(USER, 's10')!)!.versions[0]!;
    await rm(vault.pathOf(`segments/${version.segment.id}`));
    store.segmentContacts.clear();
    let failure: unknown;
    try {
      void version.contact;
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(VaultError);
    expect((failure as VaultError).message).toBe(`Backup data file ${version.segment.id} is missing.`);
  });
});
