import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyContact } from '../../../main/core/contacts/model';
import { writeVcard } from '../../../main/core/contacts/vcard-write';
import { runBackup } from '../../../main/core/history/backup-engine';
import { contactDetails } from '../../../main/core/history/contact-queries';
import { HistoryStore } from '../../../main/core/history/history-store';
import { listContacts } from '../../../main/core/history/list-views';
import type { SyncBatch } from '../../../main/core/providers/provider';
import { createVcardProvider } from '../../../main/core/providers/vcard/vcard-provider';
import { readVcardBook } from '../../../main/core/providers/vcard/vcard-source';
import { Vault } from '../../../main/core/vault/vault';
import { removeTempDirs, tempDir } from '../../support/temp-dir';
import { testContext } from '../../support/work-context';

afterAll(removeTempDirs);

function card(uid: string, name: string, categories: string[] = []): string {
  return writeVcard(emptyContact(name), { version: '4.0', uid, categories });
}

/** A folder source with sub-folders, categories and one card stored in two folders. */
async function makeSource() {
  const root = await tempDir();
  const source = join(root, 'cards');
  mkdirSync(join(source, 'Work'), { recursive: true });
  mkdirSync(join(source, 'Family'), { recursive: true });
  for (let index = 0; index < 30; index += 1) {
    writeFileSync(join(source, `p${index}.vcf`), card(`uid-${index}`, `Person ${index}`));
  }
  writeFileSync(join(source, 'Work', 'w1.vcf'), card('uid-w1', 'Worker One', ['Clients']));
  writeFileSync(join(source, 'Work', 'shared.vcf'), card('uid-shared', 'Shared Person'));
  writeFileSync(join(source, 'Family', 'shared.vcf'), card('uid-shared', 'Shared Person'));
  return { root, source };
}

async function openStore(root: string, name: string) {
  const vault = await Vault.create(join(root, name), 'p', 'password 1234');
  const store = await HistoryStore.open(vault);
  return { vault, store };
}

let clock = Date.parse('2026-03-01T00:00:00Z');
const now = () => new Date((clock += 60_000));

/** The live address book a store holds: source id -> contact, folders sorted. */
function liveBook(store: HistoryStore): Map<string, unknown> {
  const book = new Map<string, unknown>();
  for (const summary of listContacts(store.index, { includeDeleted: false }).items) {
    const details = contactDetails(store.index, summary.id)!;
    const contact = details.contact;
    book.set(details.history.sourceId, { ...contact, folderIds: [...contact.folderIds].sort() });
  }
  return book;
}

describe('vCard folder: incremental reads', () => {
  it('reads only changed files and ends where a full read of the same folder ends', async () => {
    const { root, source } = await makeSource();
    const incremental = await openStore(root, 'incremental');
    const provider = createVcardProvider({ path: source });
    const backup = () =>
      runBackup({
        store: incremental.store,
        blobs: incremental.vault.blobs,
        provider,
        userKey: 'a/local',
        userId: 'local',
        context: testContext(),
        now,
      });
    const first = await backup();
    expect(first.full).toBe(true);
    expect(first.snapshot.counts.added).toBe(32);

    // Nothing changed: not a file is read.
    const unchanged = await backup();
    expect(unchanged.snapshot.counts).toEqual({ added: 0, changed: 0, deleted: 0, unchanged: 32 });

    // An edit, a removal, a new file with a new category: only those files are read.
    writeFileSync(join(source, 'p3.vcf'), card('uid-3', 'Person Three Edited'));
    rmSync(join(source, 'p4.vcf'));
    writeFileSync(join(source, 'p99.vcf'), card('uid-99', 'Person 99', ['Newcomers']));
    const batches: SyncBatch[] = [];
    const outcome = await provider.sync(
      'local',
      incremental.store.cursor('a/local'),
      async (batch) => void batches.push(batch),
      testContext(),
    );
    expect(outcome.full).toBe(false);
    const upserted = batches.flatMap((batch) => batch.upserts.map((item) => item.sourceId)).sort();
    expect(upserted).toEqual(['uid-3', 'uid-99']);
    expect(batches.flatMap((batch) => batch.deletions)).toEqual(['uid-4']);
    expect(batches[0]!.folders!.map((folder) => folder.name).sort()).toEqual(
      ['Clients', 'Family', 'Newcomers', 'Work'].sort(),
    );
    const third = await backup();
    expect(third.full).toBe(false);
    expect(third.snapshot.counts).toEqual({ added: 1, changed: 1, deleted: 1, unchanged: 30 });

    // One copy of the card stored in two folders changes: it becomes two contacts, and `#2` ids
    // depend on the order of a whole read, so this backup reads everything.
    writeFileSync(join(source, 'Family', 'shared.vcf'), card('uid-shared', 'Shared Person Renamed'));
    const fourth = await backup();
    expect(fourth.full).toBe(true);

    // Same content in both copies again: incremental once more, and the same book as a full read.
    writeFileSync(join(source, 'Family', 'shared.vcf'), card('uid-shared', 'Shared Person'));
    await backup();
    writeFileSync(join(source, 'p7.vcf'), card('uid-7', 'Person Seven', ['Clients']));
    const sixth = await backup();
    expect(sixth.full).toBe(false);
    expect(sixth.snapshot.counts.changed).toBe(1);

    const fresh = await openStore(root, 'fresh');
    await runBackup({
      store: fresh.store,
      blobs: fresh.vault.blobs,
      provider: createVcardProvider({ path: source }),
      userKey: 'a/local',
      userId: 'local',
      context: testContext(),
      now,
    });
    expect(liveBook(incremental.store)).toEqual(liveBook(fresh.store));
    expect(liveBook(incremental.store).size).toBe((await readVcardBook(source)).contacts.length);
  });

  it('reads everything again when a new card takes a UID an unchanged file holds', async () => {
    const { source } = await makeSource();
    const provider = createVcardProvider({ path: source });
    let cursor: string | undefined;
    await provider
      .sync('local', undefined, async () => undefined, testContext())
      .then((outcome) => {
        cursor = outcome.cursor;
      });
    writeFileSync(join(source, 'copy.vcf'), card('uid-5', 'Someone Else'));
    const outcome = await provider.sync('local', cursor, async () => undefined, testContext());
    expect(outcome.full).toBe(true);
  });

  it('answers an unchanged folder without a cursor of another form', async () => {
    const { source } = await makeSource();
    const provider = createVcardProvider({ path: source });
    const outcome = await provider.sync('local', 'sha256:old-form', async () => undefined, testContext());
    expect(outcome.full).toBe(true);
    const again = await provider.sync('local', outcome.cursor, async () => undefined, testContext());
    expect(again).toEqual({ full: false, cursor: outcome.cursor });
  });
});

describe('vCard single file: unchanged cards are not parsed again', () => {
  it('parses only new and edited cards, infers removals, and ends where a full read ends', async () => {
    const root = await tempDir();
    const file = join(root, 'all.vcf');
    const cards = Array.from({ length: 40 }, (_, index) =>
      card(`uid-${index}`, `Person ${index}`, index % 10 === 0 ? ['Tens'] : []),
    );
    writeFileSync(file, cards.join(''));
    const incremental = await openStore(root, 'incremental');
    const provider = createVcardProvider({ path: file });
    const backup = () =>
      runBackup({
        store: incremental.store,
        blobs: incremental.vault.blobs,
        provider,
        userKey: 'a/local',
        userId: 'local',
        context: testContext(),
        now,
      });
    expect((await backup()).snapshot.counts.added).toBe(40);

    // Edit one card, remove one, add one with a new category.
    cards[3] = card('uid-3', 'Person Three Edited');
    cards.splice(4, 1);
    cards.push(card('uid-99', 'Person 99', ['Newcomers']));
    writeFileSync(file, cards.join(''));
    const batches: SyncBatch[] = [];
    const outcome = await provider.sync(
      'local',
      incremental.store.cursor('a/local'),
      async (batch) => void batches.push(batch),
      testContext(),
    );
    expect(outcome.full).toBe(false);
    // Only the two cards whose bytes changed were parsed and delivered.
    const upserted = batches.flatMap((batch) => batch.upserts.map((item) => item.sourceId)).sort();
    expect(upserted).toEqual(['uid-3', 'uid-99']);
    expect(batches.flatMap((batch) => batch.deletions)).toEqual(['uid-4']);
    expect(batches[0]!.folders!.map((folder) => folder.name).sort()).toEqual(['Newcomers', 'Tens']);
    const second = await backup();
    expect(second.full).toBe(false);
    expect(second.snapshot.counts).toEqual({ added: 1, changed: 1, deleted: 1, unchanged: 38 });

    // A second, different card with a known UID: numbered ids need a full read.
    cards.push(card('uid-7', 'Someone Else'));
    writeFileSync(file, cards.join(''));
    expect((await backup()).full).toBe(true);
    cards.pop();
    writeFileSync(file, cards.join(''));
    await backup();

    const fresh = await openStore(root, 'fresh');
    await runBackup({
      store: fresh.store,
      blobs: fresh.vault.blobs,
      provider: createVcardProvider({ path: file }),
      userKey: 'a/local',
      userId: 'local',
      context: testContext(),
      now,
    });
    expect(liveBook(incremental.store)).toEqual(liveBook(fresh.store));
    expect(liveBook(incremental.store).size).toBe(40);
  });
});

describe('vCard folder: a full read hands contacts on while reading', () => {
  it('pages a large folder, merges a card found in two folders, and counts it unchanged later', async () => {
    const root = await tempDir();
    const source = join(root, 'cards');
    mkdirSync(join(source, 'A'), { recursive: true });
    mkdirSync(join(source, 'Z'), { recursive: true });
    writeFileSync(join(source, 'A', 'shared.vcf'), card('uid-shared', 'Shared Person'));
    for (let index = 0; index < 2500; index += 1) {
      writeFileSync(
        join(source, `p${String(index).padStart(4, '0')}.vcf`),
        card(`uid-${index}`, `P ${index}`),
      );
    }
    writeFileSync(join(source, 'Z', 'shared.vcf'), card('uid-shared', 'Shared Person'));
    const provider = createVcardProvider({ path: source });
    const batches: SyncBatch[] = [];
    const first = await provider.sync(
      'local',
      undefined,
      async (batch) => void batches.push(batch),
      testContext(),
    );
    expect(first.full).toBe(true);
    // Pages went out before the read ended: the folder list comes with a later batch, not the first.
    expect(batches.length).toBeGreaterThan(2);
    expect(batches[0]!.folders).toBeUndefined();
    expect(batches.some((batch) => batch.folders?.length === 2)).toBe(true);
    // The shared card was handed on first from A, then again with both folders.
    const shared = batches.flatMap((batch) => batch.upserts).filter((item) => item.sourceId === 'uid-shared');
    expect([...shared.at(-1)!.contact.folderIds].sort()).toEqual(['folder:A', 'folder:Z']);

    const { store, vault } = await openStore(root, 'store');
    const backup = () =>
      runBackup({
        store,
        blobs: vault.blobs,
        provider,
        userKey: 'a/local',
        userId: 'local',
        context: testContext(),
        now,
      });
    expect((await backup()).snapshot.counts.added).toBe(2501);
    // A new card with a UID an unchanged file holds forces a full read: the shared contact, known
    // from the cursor to be in two files, goes once, merged, and counts as unchanged.
    writeFileSync(join(source, 'zz-copy.vcf'), card('uid-5', 'Someone Else'));
    const again = await backup();
    expect(again.full).toBe(true);
    expect(again.snapshot.counts).toEqual({ added: 1, changed: 0, deleted: 0, unchanged: 2501 });
    const details = liveBook(store).get('uid-shared') as { folderIds: string[] };
    expect(details.folderIds).toEqual(['folder:A', 'folder:Z']);
  });
});

/**
 * `count` cards named "Zoë N" with `note` and the index as their note, and a card without
 * END:VCARD before card `brokenAt`; `line` is the broken card's first line.
 */
function cardsWithBrokenOne(count: number, brokenAt: number, note: string, version: '3.0' | '4.0') {
  const cards = Array.from({ length: count }, (_, index) =>
    writeVcard({ ...emptyContact(`Zoë ${index}`), notes: `${note}${index}` }, { version, uid: `u${index}` }),
  );
  const before = cards.slice(0, brokenAt).join('');
  const broken = `BEGIN:VCARD\r\nVERSION:${version}\r\nFN:Broken\r\n`;
  return { text: before + broken + cards.slice(brokenAt).join(''), line: before.split(/\r\n|\n|\r/).length };
}

describe('vCard single file: a big file is split and parsed in pieces', () => {
  it('reads the same contacts as one piece would, and names the right line of a broken card', async () => {
    const root = await tempDir();
    const file = join(root, 'big.vcf');
    const cards = Array.from({ length: 1234 }, (_, index) => card(`uid-${index}`, `Person ${index}`));
    writeFileSync(file, cards.join(''));
    const book = await readVcardBook(file);
    expect(book.contacts.map((item) => item.sourceId)).toEqual(cards.map((_, index) => `uid-${index}`));
    expect(book.contacts[1100]!.contact.displayName).toBe('Person 1100');

    // A card without END:VCARD after the second cut: the message names its first line in the file.
    const broken = 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Broken\r\n';
    const text = cards.join('') + broken;
    writeFileSync(file, text);
    const line = cards.join('').split(/\r\n|\n|\r/).length;
    await expect(readVcardBook(file)).rejects.toThrow(
      `The card starting at line ${line} ends without END:VCARD`,
    );
    const skipped = await readVcardBook(file, { skipMalformed: true });
    expect(skipped.contacts).toHaveLength(1234);
    expect(skipped.skipped.map((entry) => entry.line)).toEqual([line]);
  });

  it('reads a file over 16 MB from disk a piece at a time, in UTF-8 or, when it is not UTF-8, windows-1252', async () => {
    const root = await tempDir();
    const note = 'Crème brûlée à la française, déjà vu. '.repeat(240);
    const { text, line } = cardsWithBrokenOne(2000, 1900, note, '3.0');
    for (const [name, bytes] of [
      ['utf8.vcf', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
      // Every accent here is one byte in windows-1252 (and invalid as UTF-8).
      ['latin1.vcf', Buffer.from(text, 'latin1')],
    ] as const) {
      const file = join(root, name);
      writeFileSync(file, bytes);
      expect(bytes.length).toBeGreaterThan(16 * 2 ** 20);
      const book = await readVcardBook(file, { skipMalformed: true });
      expect(book.contacts).toHaveLength(2000);
      expect(book.contacts[1999]!.contact).toMatchObject({ displayName: 'Zoë 1999', notes: `${note}1999` });
      expect(book.skipped.map((entry) => entry.line)).toEqual([line]);
    }
  });

  it('decodes a file of several megabytes a chunk at a time: every card, accents across chunks, exact lines', async () => {
    const root = await tempDir();
    const file = join(root, 'many.vcf');
    // About 5 MB: the text arrives in 2 MB chunks, cut wherever a chunk ends ('é' is 2 bytes, '€' 3).
    const note = 'Café € crème brûlée '.repeat(40);
    const { text, line } = cardsWithBrokenOne(6000, 5000, note, '4.0');
    // With a byte order mark, which is not part of the first card.
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    expect(Buffer.byteLength(text)).toBeGreaterThan(4 * 2 ** 20);
    const book = await readVcardBook(file, { skipMalformed: true });
    expect(book.contacts).toHaveLength(6000);
    expect(book.contacts.map((item) => item.sourceId)).toEqual(
      Array.from({ length: 6000 }, (_, index) => `u${index}`),
    );
    expect(book.contacts[5999]!.contact).toMatchObject({ displayName: 'Zoë 5999', notes: `${note}5999` });
    // The broken card swallows nothing but itself is reported at its own first line.
    expect(book.skipped.map((entry) => entry.line)).toEqual([line]);
  });
});
