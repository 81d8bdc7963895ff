import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreIdOf } from '../../../main/core/providers/restore-identity';
import type { ContactFolder } from '../../../main/core/contacts/model';
import { ProviderError, type PhotoBytes, type WriteItem } from '../../../main/core/providers/provider';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../fakes/graph/fake-microsoft';
import type { Mailbox } from '../../fakes/graph/mailbox';
import {
  CLIENT_ID,
  emptyMirror,
  jpeg,
  recordingSleep,
  richContact,
  signedInProvider,
  syncInto,
  workContext,
} from './harness';

let fake: FakeMicrosoft;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  fake.registerApp(CLIENT_ID);
});
afterAll(() => fake.close());

/** Every writable property of providers.md 2.2, with Graph's own limits filled. */
function everyProperty(n: number): Record<string, unknown> {
  return {
    displayName: `Dr. Ada${n} B. Lovelace Jr.`,
    fileAs: `Lovelace${n}, Ada`,
    givenName: `Ada${n}`,
    middleName: 'Byron',
    surname: 'Lovelace',
    initials: 'A.B.L.',
    nickName: 'Countess',
    title: 'Dr.',
    generation: 'Jr.',
    yomiGivenName: 'エイダ',
    yomiSurname: 'ラブレス',
    yomiCompanyName: 'アナリティカル',
    emailAddresses: [
      { name: 'Ada at home', address: `ada${n}@home.example` },
      { address: `ada${n}@work.example` },
      { name: `ada${n}@third.example`, address: `ada${n}@third.example` },
    ],
    imAddresses: ['sip:ada@im.example', 'ada.skype'],
    businessPhones: ['+44 20 7946 0001', '+44 20 7946 0002'],
    homePhones: ['+44 20 7946 0003', '+44 20 7946 0004'],
    mobilePhone: '+44 7700 900123',
    homeAddress: {
      street: '12 St James’s Square\nFlat 2',
      city: 'London',
      state: 'Greater London',
      postalCode: 'SW1Y 4JH',
      countryOrRegion: 'United Kingdom',
    },
    businessAddress: {
      street: '1 Analytical Way',
      city: 'Cambridge',
      postalCode: 'CB2 1TN',
      countryOrRegion: 'United Kingdom',
    },
    otherAddress: { city: 'Ockham' },
    jobTitle: 'Mathematician',
    companyName: 'Analytical Engines Ltd',
    department: 'Research',
    officeLocation: 'Room 101',
    profession: 'Programmer',
    businessHomePage: 'https://ada.example/',
    assistantName: 'Mary Somerville',
    manager: 'Charles Babbage',
    spouseName: 'William King',
    children: ['Byron', 'Anne', 'Ralph'],
    personalNotes: 'First programmer.\nLine two — with “quotes”.',
    birthday: '1815-12-10',
    categories: ['Red category', 'Scientists'],
  };
}

const GRAPH_NOISE = [
  '@odata.etag',
  'id',
  'changeKey',
  'createdDateTime',
  'lastModifiedDateTime',
  'parentFolderId',
];

function withoutNoise(json: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(json ?? {}).filter(([k]) => !GRAPH_NOISE.includes(k)));
}

async function loadPhoto(load: (() => Promise<PhotoBytes>) | undefined): Promise<PhotoBytes | undefined> {
  if (!load) return undefined;
  try {
    return await load();
  } catch (error) {
    if (error instanceof ProviderError && error.code === 'not-found') return undefined;
    throw error;
  }
}

/** Recreates a folder tree at the target: source folder id → target folder id. */
async function copyFolders(
  folders: readonly ContactFolder[],
  writer: NonNullable<ReturnType<Awaited<ReturnType<typeof signedInProvider>>['provider']['writer']>>,
): Promise<Map<string, string>> {
  const targetFolders = await writer.listFolders(workContext());
  const map = new Map<string, string>();
  const targetDefault = targetFolders.find((f) => f.system === 'default');
  const pending = [...folders];
  while (pending.length > 0) {
    const index = pending.findIndex((f) => !f.parentId || map.has(f.parentId));
    const [folder] = pending.splice(index, 1);
    if (folder.system === 'default') {
      if (targetDefault) map.set(folder.id, targetDefault.id);
      continue;
    }
    const parent = folder.parentId ? map.get(folder.parentId) : undefined;
    const created = await writer.createFolder(folder.name, parent, workContext());
    map.set(folder.id, created.id);
  }
  return map;
}

describe('Microsoft writer and round trip', () => {
  it('round trip: sync → create into an empty mailbox → sync again gives equal contacts and photos', async () => {
    const source = fake.addMailbox('source@outlook.com');
    const clients = fake.addFolder(source, 'Clients');
    const vip = fake.addFolder(source, 'VIP', clients);
    const ids = [
      fake.addContact(source, everyProperty(1)),
      fake.addContact(source, everyProperty(2), clients),
      fake.addContact(source, everyProperty(3), vip),
      fake.addContact(source, { givenName: 'Sparse' }, vip),
      fake.addContact(source, { emailAddresses: [{ address: 'only@mail.example' }] }),
    ];
    fake.setPhoto(source, ids[0], jpeg(7, 40_000));
    fake.setPhoto(source, ids[2], jpeg(8, 3000), 'image/png');
    const target = fake.addMailbox('target@outlook.com');

    const { provider: reader } = await signedInProvider(fake, 'source@outlook.com');
    const mirror = emptyMirror();
    await syncInto(reader, 'me', mirror);

    const { provider: writerProvider } = await signedInProvider(fake, 'target@outlook.com');
    const writer = writerProvider.writer('me');
    if (!writer) throw new Error('no writer');
    const folderMap = await copyFolders(mirror.folders ?? [], writer);
    const items: WriteItem[] = [];
    for (const [id, source] of mirror.contacts) {
      expect(writer.unsupportedFields(source.contact)).toEqual([]);
      items.push({
        key: id,
        restoreId: testRestoreId(id),
        contact: source.contact,
        photo: await loadPhoto(source.photo?.load),
        folderIds: source.contact.folderIds.map((f) => folderMap.get(f) ?? f),
      });
    }
    const results = await writer.create(items, workContext());
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const targetIdOf = new Map(results.map((r) => [r.key, r.ok ? r.targetId : '']));

    const copy = emptyMirror();
    await syncInto(writerProvider, 'me', copy);
    expect(copy.contacts.size).toBe(ids.length);
    expect(copy.folders?.map((f) => [f.name, f.parentId ? 'nested' : 'top'])).toEqual(
      mirror.folders?.map((f) => [f.name, f.parentId ? 'nested' : 'top']),
    );
    for (const [id, original] of mirror.contacts) {
      const targetId = targetIdOf.get(id) as string;
      const copied = copy.contacts.get(targetId);
      expect(copied?.contact).toEqual({
        ...original.contact,
        folderIds: original.contact.folderIds.map((f) => folderMap.get(f)),
      });
      const before = await loadPhoto(original.photo?.load);
      const after = await loadPhoto(copied?.photo?.load);
      expect(after?.mediaType).toBe(before?.mediaType);
      expect(Buffer.from(after?.bytes ?? []).equals(Buffer.from(before?.bytes ?? []))).toBe(true);
      // And at the service itself, every property is the same.
      expect(withoutNoise(fake.contactJson(target, targetId))).toEqual(
        withoutNoise(fake.contactJson(source, id)),
      );
    }
    expect(target.photos.size).toBe(2);
  });

  it('restores into an emptied mailbox whose default folder id cannot be learned', async () => {
    const mailbox = fake.addMailbox('emptied@outlook.com');
    const sub = fake.addFolder(mailbox, 'Sub');
    for (let n = 0; n < 30; n += 1) fake.addContact(mailbox, richContact(n), n % 3 === 0 ? sub : undefined);
    const { provider } = await signedInProvider(fake, 'emptied@outlook.com');
    const mirror = emptyMirror();
    await syncInto(provider, 'me', mirror);
    mailbox.deleteFolder(sub);
    for (const id of [...mailbox.contacts.keys()]) mailbox.deleteContact(id);
    fake.state.wellKnownContactsFolder = false;
    try {
      const writer = provider.writer('me');
      if (!writer) throw new Error('no writer');
      const folderMap = await copyFolders(mirror.folders ?? [], writer);
      const results = await writer.create(
        [...mirror.contacts.values()].map((s) => ({
          key: s.sourceId,
          restoreId: testRestoreId(s.sourceId),
          contact: s.contact,
          folderIds: s.contact.folderIds.map((f) => folderMap.get(f) ?? f),
        })),
        workContext(),
      );
      expect(results.filter((r) => !r.ok)).toEqual([]);
      expect(mailbox.contacts.size).toBe(30);
      const again = emptyMirror();
      await syncInto(provider, 'me', again);
      const names = (m: typeof mirror) => [...m.contacts.values()].map((c) => c.contact.displayName).sort();
      expect(names(again)).toEqual(names(mirror));
      const restoredSub = again.folders?.find((f) => f.name === 'Sub');
      expect(
        [...again.contacts.values()].filter((c) => c.contact.folderIds[0] === restoredSub?.id),
      ).toHaveLength(10);
    } finally {
      fake.state.wellKnownContactsFolder = true;
    }
  });

  it('restores 1,000 contacts in at most 50 $batch calls, honouring per-item 429 with Retry-After', async () => {
    const mailbox = fake.addMailbox('bulk@outlook.com');
    const sleep = recordingSleep();
    const { provider } = await signedInProvider(fake, 'bulk@outlook.com', { sleep });
    const writer = provider.writer('me');
    if (!writer) throw new Error('no writer');
    const team = await writer.createFolder('Team', undefined, workContext());
    const source = fake.addMailbox('bulk-source@outlook.com');
    for (let n = 0; n < 1000; n += 1) fake.addContact(source, richContact(n));
    const { provider: reader } = await signedInProvider(fake, 'bulk-source@outlook.com');
    const mirror = emptyMirror();
    await syncInto(reader, 'me', mirror);
    const items: WriteItem[] = [...mirror.contacts.values()].map((s, i) => ({
      key: s.sourceId,
      restoreId: testRestoreId(s.sourceId),
      contact: s.contact,
      folderIds: i % 2 === 0 ? [team.id] : [],
    }));
    fake.clearLog();
    const results = await writer.create(items, workContext());
    expect(results.filter((r) => r.ok)).toHaveLength(1000);
    const batchCalls = fake.requests().filter((r) => r.path === '/$batch' && !r.inBatch);
    expect(batchCalls.length).toBe(50);
    expect(mailbox.contacts.size).toBe(1000);
    expect([...mailbox.contacts.values()].filter((c) => c.folderId === team.id)).toHaveLength(500);

    // A throttled batch item is sent again after its own Retry-After.
    fake.addFault({ kind: 'throttle', inBatch: true, times: 3, retryAfter: 7 });
    const more = await writer.create(items.slice(0, 20), workContext());
    expect(more.every((r) => r.ok)).toBe(true);
    expect(sleep.waits).toContain(7000);
    expect(mailbox.contacts.size).toBe(1020);
  });

  it('writes into a partly filled mailbox: existing() finds what is left, update() replaces, create() adds', async () => {
    const mailbox = fake.addMailbox('partial@outlook.com');
    const { provider } = await signedInProvider(fake, 'partial@outlook.com');
    const writer = provider.writer('me');
    if (!writer) throw new Error('no writer');
    const kept = fake.addContact(mailbox, everyProperty(1));
    const removed = fake.addContact(mailbox, richContact(2));
    mailbox.deleteContact(removed);
    const stillThere = await writer.existing([kept, removed], workContext());
    expect([...stillThere]).toEqual([kept]);

    const wanted = { ...(await provider.fetchContacts('me', [kept], workContext()))[0].contact };
    const replacement = {
      ...wanted,
      displayName: 'Replaced Name',
      emails: [{ value: 'new@example.com' }],
      addresses: [],
      relations: [],
      notes: undefined,
      extra: {},
    };
    const updated = await writer.update(
      [
        { key: 'a', restoreId: testRestoreId('a'), contact: replacement, folderIds: [], targetId: kept },
        { key: 'b', restoreId: testRestoreId('b'), contact: replacement, folderIds: [], targetId: removed },
      ],
      workContext(),
    );
    expect(updated[0]).toEqual({ key: 'a', ok: true, targetId: kept });
    expect(updated[1]).toMatchObject({ key: 'b', ok: false, retryable: false });
    const after = fake.contactJson(mailbox, kept);
    expect(after?.displayName).toBe('Replaced Name');
    expect(after?.emailAddresses).toEqual([{ address: 'new@example.com' }]);
    expect(after?.homeAddress).toEqual({});
    expect(after?.children).toEqual([]);
    expect(after?.categories).toEqual([]);
    expect(after?.personalNotes).toBe('');
    const created = await writer.create(
      [{ key: 'c', restoreId: testRestoreId('c'), contact: replacement, folderIds: [] }],
      workContext(),
    );
    expect(created[0].ok).toBe(true);
    expect(mailbox.contacts.size).toBe(2);
  });

  it('reports what Graph cannot hold', async () => {
    const { provider } = await signedInProvider(fake, 'partial@outlook.com');
    const writer = provider.writer('me');
    const fields = writer?.unsupportedFields({
      displayName: 'X',
      name: { phoneticMiddle: 'm' },
      nicknames: ['a', 'b'],
      emails: [1, 2, 3, 4].map((n) => ({ value: `${n}@x.example` })),
      phones: [
        { value: '1', type: 'work' },
        { value: '2', type: 'work' },
        { value: '3', type: 'work' },
        { value: '4', type: 'work-fax' },
      ],
      addresses: [
        { type: 'home', city: 'A', poBox: '12' },
        { type: 'home', city: 'B' },
      ],
      urls: [{ value: 'https://a' }, { value: 'https://b' }],
      organizations: [],
      events: [{ type: 'anniversary', date: { month: 1, day: 2 } }],
      relations: [{ name: 'Mum', type: 'mother' }],
      imAddresses: [],
      sipAddresses: [{ value: 'sip:x' }],
      customFields: [{ key: 'k', value: 'v' }],
      folderIds: [],
      gender: 'female',
      extra: { 'google.clientData': [] },
    });
    expect(fields).toEqual([
      'emails[3] (Graph keeps 3 email addresses)',
      'phones[2] (Graph keeps 2 business phones)',
      'phones[3] (Graph has no work-fax phone)',
      'addresses[1] (Graph keeps one home, work and other address)',
      'addresses[0].poBox',
      'urls[1] (Graph keeps one web page)',
      'nicknames[1] (Graph keeps one nickname)',
      'name.phoneticMiddle',
      'relations[0] (mother)',
      'events',
      'sipAddresses',
      'customFields',
      'gender',
      'extra.google.clientData',
    ]);
  });

  it('creates nested folders and reuses an existing one of the same name', async () => {
    const mailbox = fake.addMailbox('folders@outlook.com');
    const { provider } = await signedInProvider(fake, 'folders@outlook.com');
    const writer = provider.writer('me');
    if (!writer) throw new Error('no writer');
    const top = await writer.createFolder('Top', undefined, workContext());
    const child = await writer.createFolder('Child', top.id, workContext());
    const grandChild = await writer.createFolder('Grand=child', child.id, workContext());
    expect(child.parentId).toBe(top.id);
    expect(mailbox.folders.get(grandChild.id)?.parentFolderId).toBe(child.id);
    const again = await writer.createFolder('Child', top.id, workContext());
    expect(again.id).toBe(child.id);
    const listed = await writer.listFolders(workContext());
    expect(listed.map((f) => f.name)).toEqual(['Contacts', 'Top', 'Child', 'Grand=child']);
  });
});

export type { Mailbox };

/** A restore id per test item, as the restore engine would give it. */
function testRestoreId(key: string): string {
  return restoreIdOf('test-run', key);
}
