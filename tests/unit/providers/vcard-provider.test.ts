import { createHash } from 'node:crypto';
import { restoreIdOf, SOURCE_UID_EXTRA } from '../../../main/core/providers/restore-identity';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyContact } from '../../../main/core/contacts/model';
import { writeVcard } from '../../../main/core/contacts/vcard-write';
import {
  ProviderError,
  type ContactProvider,
  type SourceContact,
  type SyncBatch,
  type WorkContext,
} from '../../../main/core/providers/provider';
import { createSampleProvider as createSampleProviderAt } from '../../../main/core/providers/vcard/sample';
import { SAMPLE_ADDRESS_BOOK_PATH } from '../../support/repo-paths';
import { createVcardProvider } from '../../../main/core/providers/vcard/vcard-provider';
import { generateContacts, makeIdenticonPng, writeVcfSource } from '../../support/generate-contacts';

const createSampleProvider = () => createSampleProviderAt(SAMPLE_ADDRESS_BOOK_PATH);

const root = mkdtempSync(join(tmpdir(), 'vcard-provider-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function context(signal = new AbortController().signal): WorkContext & { lines: string[] } {
  const lines: string[] = [];
  return { signal, progress: () => undefined, log: (line) => void lines.push(line), lines };
}

async function syncAll(provider: ContactProvider) {
  const batches: SyncBatch[] = [];
  const outcome = await provider.sync(
    'local',
    undefined,
    async (batch) => void batches.push(batch),
    context(),
  );
  return {
    outcome,
    batches,
    contacts: batches.flatMap((batch) => batch.upserts),
    folders: batches.find((batch) => batch.folders)?.folders ?? [],
  };
}

const card = (lines: string[]) => ['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD', ''].join('\r\n');

describe('the sample address book', () => {
  it('holds at least 320 contacts in at least 5 folders, with photos, and is read-only', async () => {
    const provider = createSampleProvider();
    expect(provider.writer('local')).toBeUndefined();
    const { outcome, contacts, folders, batches } = await syncAll(provider);
    expect(outcome).toEqual({
      full: true,
      cursor: expect.stringMatching(/^\{"v":2,"fp":"stat2:[0-9a-f]{64}"/),
    });
    expect(contacts.length).toBeGreaterThanOrEqual(320);
    expect(folders.length).toBeGreaterThanOrEqual(5);
    expect(batches.every((batch) => batch.upserts.length <= 1000 && batch.deletions.length === 0)).toBe(true);
    const folderIds = new Set(folders.map((folder) => folder.id));
    expect(contacts.every((item) => item.contact.folderIds.every((id) => folderIds.has(id)))).toBe(true);
    expect(contacts.some((item) => item.contact.folderIds.length === 2)).toBe(true);
    const withPhotos = contacts.filter((item) => item.photo);
    expect(withPhotos.length).toBeGreaterThanOrEqual(30);
    const loaded = await Promise.all(withPhotos.map((item) => item.photo!.load()));
    loaded.forEach((photo, index) => {
      expect(photo.mediaType).toBe('image/png');
      expect(createHash('sha256').update(photo.bytes).digest('hex')).toBe(withPhotos[index].photo!.key);
    });
    expect(new Set(withPhotos.map((item) => item.photo!.key)).size).toBe(withPhotos.length);
    expect(new Set(contacts.map((item) => item.sourceId)).size).toBe(contacts.length);
  });

  it('covers the variety the product promises', async () => {
    const { contacts } = await syncAll(createSampleProvider());
    const all = contacts.map((item) => item.contact);
    const names = all.map((contact) => contact.displayName).join(' ');
    for (const script of [
      /\p{Script=Greek}/u,
      /\p{Script=Cyrillic}/u,
      /\p{Script=Han}/u,
      /\p{Script=Hiragana}|\p{Script=Katakana}/u,
    ]) {
      expect(names + all.map((contact) => contact.name.phoneticGiven ?? '').join(' ')).toMatch(script);
    }
    for (const script of [/\p{Script=Devanagari}/u, /\p{Script=Arabic}/u, /\p{Script=Hebrew}/u]) {
      expect(names).toMatch(script);
    }
    expect(
      all.some((contact) => contact.birthday?.year === undefined && contact.birthday?.month !== undefined),
    ).toBe(true);
    expect(all.some((contact) => contact.birthday?.year !== undefined)).toBe(true);
    expect(all.some((contact) => contact.events.some((event) => event.type === 'anniversary'))).toBe(true);
    expect(all.some((contact) => contact.notes?.includes('\n'))).toBe(true);
    expect(all.some((contact) => contact.emails.length >= 2 && contact.phones.length >= 2)).toBe(true);
    expect(all.some((contact) => contact.addresses.length >= 2)).toBe(true);
    expect(
      all.some((contact) => contact.organizations[0]?.department && contact.organizations[0]?.title),
    ).toBe(true);
    expect(all.some((contact) => contact.urls.length > 0)).toBe(true);
    expect(all.some((contact) => contact.imAddresses.length > 0)).toBe(true);
    expect(all.some((contact) => contact.sipAddresses.length > 0)).toBe(true);
    expect(all.some((contact) => contact.customFields.length > 0)).toBe(true);
    expect(all.some((contact) => contact.relations.length > 0)).toBe(true);
    expect(all.some((contact) => contact.nicknames.length > 0)).toBe(true);
  });

  it('is under 3 MB and matches what the generator makes today', async () => {
    expect(readFileSync(SAMPLE_ADDRESS_BOOK_PATH).length).toBeLessThan(3 * 1024 * 1024);
    const { contacts } = await syncAll(createSampleProvider());
    const generated = generateContacts(340, { seed: 20240611, photoShare: 0.1, folders: 6 });
    expect(contacts).toHaveLength(generated.length);
    for (const [index, item] of contacts.entries()) {
      expect(item.sourceId).toBe(generated[index].uid);
      expect({ ...item.contact, folderIds: [] }).toEqual(generated[index].contact);
      // Compared by presence only: deflate output may change with the zlib bundled in Node.
      expect(item.photo !== undefined).toBe(generated[index].photo !== undefined);
    }
  });

  it('ships photos that are valid PNG files (signature, chunk CRCs, IEND)', async () => {
    const { contacts } = await syncAll(createSampleProvider());
    for (const item of contacts.filter((entry) => entry.photo)) {
      const bytes = Buffer.from((await item.photo!.load()).bytes);
      expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      let offset = 8;
      const types: string[] = [];
      while (offset < bytes.length) {
        const length = bytes.readUInt32BE(offset);
        const type = bytes.subarray(offset + 4, offset + 8).toString('latin1');
        const crc = bytes.readUInt32BE(offset + 8 + length);
        expect(crc).toBe(zlibCrc32(bytes.subarray(offset + 4, offset + 8 + length)));
        types.push(type);
        offset += 12 + length;
      }
      expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
      expect(inflateSync(bytes.subarray(8 + 12 + 13 + 8, bytes.length - 12 - 4)).length).toBe(
        40 * (1 + 40 * 3),
      );
    }
  });
});

describe('createVcardProvider over one file', () => {
  it('delivers 2500 contacts in pages of at most 1000, handed on while reading, folders once', async () => {
    const path = join(root, 'big.vcf');
    const generated = writeVcfSource(path, 2500, { seed: 3, photoShare: 0.05, folders: 4 });
    const { outcome, batches, contacts, folders } = await syncAll(createVcardProvider({ path }));
    expect(outcome.full).toBe(true);
    expect(batches.map((batch) => batch.upserts.length)).toEqual([1000, 1000, 500]);
    // Pages go out while the file is read; the folder list, complete only at the end, comes last.
    expect(batches.slice(0, -1).every((batch) => batch.folders === undefined)).toBe(true);
    expect(folders.map((folder) => folder.name).sort()).toEqual(['Clients', 'Family', 'Friends', 'Work']);
    contacts.forEach((item, index) => {
      expect(item.sourceId).toBe(generated[index].uid);
      expect({ ...item.contact, folderIds: [] }).toEqual(generated[index].contact);
      expect(item.contact.folderIds).toEqual(generated[index].folderNames.map((name) => `category:${name}`));
    });
  });

  it('gives cards without UID a stable id from their content, and fetchContacts finds them', async () => {
    const path = join(root, 'no-uid.vcf');
    writeFileSync(path, card(['FN:One']) + card(['FN:Two']) + card(['UID:has-uid', 'FN:Three']));
    const provider = createVcardProvider({ path });
    const first = (await syncAll(provider)).contacts.map((item) => item.sourceId);
    const second = (await syncAll(provider)).contacts.map((item) => item.sourceId);
    expect(first).toEqual(second);
    expect(first[2]).toBe('has-uid');
    expect(first[0]).toMatch(/^vcard-[0-9a-f]{32}$/);
    expect(first[0]).not.toBe(first[1]);
    writeFileSync(path, card(['FN:One']) + card(['FN:Two changed']) + card(['UID:has-uid', 'FN:Three']));
    const third = (await syncAll(provider)).contacts.map((item) => item.sourceId);
    expect(third[0]).toBe(first[0]);
    expect(third[1]).not.toBe(first[1]);
    const fetched = await provider.fetchContacts('local', ['has-uid', first[0], 'missing'], context());
    expect(fetched.map((item) => item.contact.displayName)).toEqual(['One', 'Three']);
  });

  it('keeps two different cards that share a UID apart', async () => {
    const path = join(root, 'same-uid.vcf');
    writeFileSync(path, card(['UID:dup', 'FN:A']) + card(['UID:dup', 'FN:B']));
    const { contacts } = await syncAll(createVcardProvider({ path }));
    expect(contacts.map((item) => [item.sourceId, item.contact.displayName])).toEqual([
      ['dup', 'A'],
      ['dup#2', 'B'],
    ]);
  });

  it('refuses a missing path, an empty setting and a malformed file with a clear sentence', async () => {
    const missing = createVcardProvider({ path: join(root, 'nope.vcf') });
    await expect(syncAll(missing)).rejects.toThrow(ProviderError);
    await expect(syncAll(missing)).rejects.toThrow(/does not exist or cannot be opened/);
    await expect(syncAll(createVcardProvider({ path: ' ' }))).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'No vCard file or folder was chosen for this account.',
    });
    const bad = join(root, 'bad.vcf');
    writeFileSync(bad, card(['FN:Good']) + card(['FN:Bad', 'NO COLON HERE']));
    await expect(syncAll(createVcardProvider({ path: bad }))).rejects.toMatchObject({
      code: 'invalid-input',
      message: `The vCard file "${bad}" is not valid at line 8: Line 8 has no ':' between the property name and its value.`,
    });
    const notVcard = join(root, 'notes.vcf');
    writeFileSync(notVcard, 'just some text\n');
    await expect(syncAll(createVcardProvider({ path: notVcard }))).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });

  it('skips malformed cards when asked, logging only line numbers', async () => {
    const bad = join(root, 'skip.vcf');
    writeFileSync(bad, card(['FN:Good']) + card(['FN:Secret Name', 'NO COLON HERE']));
    const provider = createVcardProvider({ path: bad, skipMalformed: true });
    const log = context();
    const contacts: SourceContact[] = [];
    await provider.sync('local', undefined, async (batch) => void contacts.push(...batch.upserts), log);
    expect(contacts.map((item) => item.contact.displayName)).toEqual(['Good']);
    expect(log.lines).toEqual(['Skipped an unreadable card at line 8 of skip.vcf.']);
  });

  it('stops when the job is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const provider = createVcardProvider({ path: SAMPLE_ADDRESS_BOOK_PATH });
    await expect(
      provider.sync('local', undefined, async () => undefined, context(controller.signal)),
    ).rejects.toThrow();
  });
});

describe('createVcardProvider over a folder tree', () => {
  it('reads .vcf files recursively, sub-folders as nested folders and CATEGORIES as folders', async () => {
    const tree = join(root, 'tree');
    mkdirSync(join(tree, 'Work', 'Clients'), { recursive: true });
    mkdirSync(join(tree, 'Family'), { recursive: true });
    mkdirSync(join(tree, 'Empty'), { recursive: true });
    mkdirSync(join(tree, '.git'), { recursive: true });
    writeFileSync(join(tree, 'root.vcf'), card(['UID:r', 'FN:Root Person', 'CATEGORIES:VIP']));
    writeFileSync(join(tree, 'Family', 'mum.VCF'), card(['UID:m', 'FN:Mum']));
    writeFileSync(
      join(tree, 'Work', 'Clients', 'c.vcf'),
      card(['UID:c', 'FN:Client', 'CATEGORIES:VIP,Golf']),
    );
    writeFileSync(join(tree, 'Work', 'readme.txt'), 'not a card');
    writeFileSync(join(tree, '.git', 'x.vcf'), card(['UID:hidden', 'FN:Hidden']));
    const { contacts, folders } = await syncAll(createVcardProvider({ path: tree }));
    expect(folders).toEqual([
      { id: 'folder:Empty', name: 'Empty' },
      { id: 'folder:Family', name: 'Family' },
      { id: 'folder:Work', name: 'Work' },
      { id: 'folder:Work/Clients', name: 'Clients', parentId: 'folder:Work' },
      { id: 'category:VIP', name: 'VIP' },
      { id: 'category:Golf', name: 'Golf' },
    ]);
    expect(contacts.map((item) => [item.sourceId, item.contact.folderIds])).toEqual([
      ['r', ['category:VIP']],
      ['m', ['folder:Family']],
      ['c', ['folder:Work/Clients', 'category:VIP', 'category:Golf']],
    ]);
  });
});

describe('the vCard writer (restore target)', () => {
  it('writes contacts into folders and the provider reads the same contacts back', async () => {
    const target = join(root, 'restore');
    const provider = createVcardProvider({ path: target });
    const writer = provider.writer('local')!;
    const work = context();
    const family = await writer.createFolder('Family', undefined, work);
    const friends = await writer.createFolder('Friends', undefined, work);
    const nested = await writer.createFolder('Golf / Club', friends.id, work);
    expect(nested).toEqual({ id: 'folder:Friends/Golf _ Club', name: 'Golf _ Club', parentId: friends.id });
    expect(await writer.listFolders(work)).toEqual([family, friends, nested]);

    const generated = generateContacts(30, { seed: 11, photoShare: 0.3 });
    const folderChoices = [[], [family.id], [friends.id, nested.id], [nested.id]];
    const items = generated.map((item, index) => ({
      key: `k${index}`,
      restoreId: testRestoreId(`k${index}`),
      contact: item.contact,
      folderIds: folderChoices[index % folderChoices.length],
      ...(item.photo ? { photo: item.photo } : {}),
    }));
    const results = await writer.create(items, work);
    expect(results.every((result) => result.ok)).toBe(true);
    const targetIds = results.map((result) => (result.ok ? result.targetId : ''));
    expect(await writer.existing([...targetIds, 'gone'], work)).toEqual(new Set(targetIds));

    const { contacts, folders } = await syncAll(provider);
    expect(folders.map((folder) => folder.id)).toEqual([family.id, friends.id, nested.id]);
    expect(contacts).toHaveLength(30);
    const byId = new Map(contacts.map((item) => [item.sourceId, item]));
    for (const [index, item] of items.entries()) {
      const read = byId.get(targetIds[index])!;
      expect({ ...read.contact, folderIds: [] }).toEqual(item.contact);
      expect([...read.contact.folderIds].sort()).toEqual([...item.folderIds].sort());
      if (item.photo) expect((await read.photo!.load()).bytes).toEqual(item.photo.bytes);
      else expect(read.photo).toBeUndefined();
    }
  });

  it('writes a batch several cards at a time: results in order, one source UID taken once', async () => {
    const target = join(root, 'batch');
    const provider = createVcardProvider({ path: target });
    const writer = provider.writer('local')!;
    const work = context();
    const withUid = (name: string, uid: string) => ({
      ...emptyContact(name),
      extra: { [SOURCE_UID_EXTRA]: uid },
    });
    const items = Array.from({ length: 40 }, (_, index) => ({
      key: `k${index}`,
      restoreId: testRestoreId(`k${index}`),
      // Cards 0 and 1 came from the same source UID; card 7 names a folder a vCard folder cannot have.
      contact: withUid(`Person ${index}`, index < 2 ? 'shared-uid' : `uid-${index}`),
      folderIds: index === 7 ? ['category:Elsewhere'] : [],
    }));
    const results = await writer.create(items, work);
    expect(results.map((result) => result.key)).toEqual(items.map((item) => item.key));
    expect(results[7]).toMatchObject({
      ok: false,
      error: 'The folder category:Elsewhere does not exist at the target.',
    });
    const ids = results.map((result) => (result.ok ? result.targetId : undefined));
    expect(ids[0]).toBe('shared-uid');
    expect(ids[1]).toBe(items[1].restoreId);
    expect(ids[2]).toBe('uid-2');
    const { contacts } = await syncAll(provider);
    expect(contacts).toHaveLength(39);
    expect(new Set(contacts.map((item) => item.sourceId)).size).toBe(39);
  });

  it('update rewrites the file (and moves it between folders); unknown ids fail cleanly', async () => {
    const target = join(root, 'update');
    const provider = createVcardProvider({ path: target });
    const writer = provider.writer('local')!;
    const work = context();
    const folder = await writer.createFolder('Moved', undefined, work);
    const [created] = await writer.create(
      [{ key: 'a', restoreId: testRestoreId('a'), contact: emptyContact('Before'), folderIds: [] }],
      work,
    );
    if (!created.ok) throw new Error(created.error);
    const photo = { mediaType: 'image/png', bytes: makeIdenticonPng(1) };
    const results = await writer.update(
      [
        {
          key: 'a',
          restoreId: testRestoreId('a'),
          targetId: created.targetId,
          contact: emptyContact('After'),
          folderIds: [folder.id],
          photo,
        },
        {
          key: 'b',
          restoreId: testRestoreId('b'),
          targetId: 'never-written',
          contact: emptyContact('X'),
          folderIds: [],
        },
      ],
      work,
    );
    expect(results).toEqual([
      { key: 'a', ok: true, targetId: created.targetId },
      { key: 'b', ok: false, error: 'The contact no longer exists at the target.', retryable: false },
    ]);
    expect(readdirSync(target).filter((name) => name.endsWith('.vcf'))).toEqual([]);
    const { contacts } = await syncAll(provider);
    expect(contacts.map((item) => [item.sourceId, item.contact.displayName, item.contact.folderIds])).toEqual(
      [[created.targetId, 'After', [folder.id]]],
    );
    expect(contacts[0].photo?.key).toBe(createHash('sha256').update(photo.bytes).digest('hex'));
  });

  it('rejects folder ids that are not its own and names unsupported fields', async () => {
    const writer = createVcardProvider({ path: join(root, 'strict') }).writer('local')!;
    const work = context();
    const [result] = await writer.create(
      [
        {
          key: 'x',
          restoreId: testRestoreId('x'),
          contact: emptyContact('X'),
          folderIds: ['category:Family'],
        },
      ],
      work,
    );
    expect(result).toEqual({
      key: 'x',
      ok: false,
      error: 'The folder category:Family does not exist at the target.',
      retryable: false,
    });
    const [escape] = await writer.create(
      [{ key: 'y', restoreId: testRestoreId('y'), contact: emptyContact('Y'), folderIds: ['folder:../up'] }],
      work,
    );
    expect(escape.ok).toBe(false);
    expect(
      writer.unsupportedFields({ ...emptyContact('U'), organizations: [{ name: 'O', location: 'Room 1' }] }),
    ).toEqual(['organizations[0].location']);
  });

  it('refuses a target path that is a file', async () => {
    const file = join(root, 'plain-file.vcf');
    writeFileSync(file, writeVcard(emptyContact('F'), { version: '4.0' }));
    const writer = createVcardProvider({ path: file }).writer('local')!;
    await expect(writer.listFolders(context())).rejects.toMatchObject({
      code: 'invalid-input',
      message: `The restore target "${file}" is a file, not a folder: choose "a new vCard file" to write into a file.`,
    });
  });
});

/** A restore id per test item, as the restore engine would give it. */
function testRestoreId(key: string): string {
  return restoreIdOf('test-run', key);
}
