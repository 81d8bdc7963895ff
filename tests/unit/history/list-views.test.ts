import { describe, expect, it } from 'vitest';
import { emptyContact, type Contact } from '../../../main/core/contacts/model';
import { HistoryIndex } from '../../../main/core/history/history-index';
import { listContactIds, listContacts, prepareList } from '../../../main/core/history/list-views';
import { generateContacts } from '../../support/generate-contacts';
import { compileSearch, searchableNow, searchableOf } from '../../../main/core/history/contact-search';
import { byName, plainSortKey } from '../../../main/core/history/contact-queries';

/** One query against one contact, as the list applies it. */
function matchesSearch(contact: Contact, query: string): boolean {
  const matcher = compileSearch(query);
  return matcher ? matcher(searchableNow(contact)) : true;
}

const USER = 'acc/u';
let seq = 0;

function contact(name: string, extra: Partial<Contact> = {}): Contact {
  return { ...emptyContact(name), ...extra };
}

/** Applies one snapshot: puts by contact id, and deletes at the source. */
function apply(
  index: HistoryIndex,
  at: string,
  puts: Record<string, Contact>,
  deletes: string[] = [],
  userKey = USER,
): void {
  seq += 1;
  const id = `s${seq}`;
  index.apply(
    {
      id,
      seq,
      userKey,
      kind: 'incremental',
      startedAt: at,
      finishedAt: at,
      counts: { added: 0, changed: 0, deleted: 0, unchanged: 0 },
      segments: [`g${seq}`],
    },
    [
      {
        version: 1,
        id: `g${seq}`,
        snapshotId: id,
        userKey,
        puts: Object.entries(puts).map(([contactId, value]) => ({
          contactId,
          sourceId: `src-${contactId}`,
          hash: `${contactId}-${seq}`,
          contact: value,
        })),
        deletes,
        renames: [],
      },
    ],
  );
}

describe('the contacts list', () => {
  it('pages through one sorted order, and a new snapshot is seen at once', () => {
    const index = new HistoryIndex();
    const names = ['Émile', 'bob', 'Alice', 'Zoë', 'carol', 'Item 10', 'Item 9'];
    apply(
      index,
      '2026-01-01T00:00:00.000Z',
      Object.fromEntries(names.map((name, i) => [`c${i}`, contact(name)])),
    );
    const all = listContacts(index, {}).items.map((item) => item.displayName);
    expect(all).toEqual(['Alice', 'bob', 'carol', 'Émile', 'Item 9', 'Item 10', 'Zoë']);
    const paged = [0, 3, 6].flatMap((offset) => listContacts(index, { offset, limit: 3 }).items);
    expect(paged.map((item) => item.displayName)).toEqual(all);
    expect(listContacts(index, { offset: 5, limit: 3 }).total).toBe(7);

    // A cached order must not hide the next backup: Aaron comes first, Alice gets a second version.
    apply(index, '2026-01-02T00:00:00.000Z', { new: contact('Aaron'), c2: contact('Alice', { notes: 'x' }) });
    const after = listContacts(index, { limit: 2 }).items;
    expect(after.map((item) => [item.displayName, item.versions])).toEqual([
      ['Aaron', 1],
      ['Alice', 2],
    ]);
    // ...while the list as of the first backup is unchanged.
    expect(listContacts(index, { at: '2026-01-01T12:00:00.000Z' }).items.map((i) => i.displayName)).toEqual(
      all,
    );
  });

  it('filters by folder, deleted state, user and search, with ids in list order', () => {
    const index = new HistoryIndex();
    apply(index, '2026-01-01T00:00:00.000Z', {
      a: contact('Ann', { folderIds: ['f1'], phones: [{ value: '+1 (555) 012-3456', type: 'mobile' }] }),
      b: contact('Ben', { folderIds: ['f1', 'f2'], emails: [{ value: 'ben@work.example', type: 'work' }] }),
      c: contact('Cat', { organizations: [{ name: 'Grace Labs' }] }),
    });
    apply(index, '2026-01-02T00:00:00.000Z', { z: contact('Zed') }, [], 'acc/other');
    apply(index, '2026-01-03T00:00:00.000Z', {}, ['b']);

    const names = (query: Parameters<typeof listContacts>[1]) =>
      listContacts(index, query).items.map((item) => `${item.displayName}${item.deleted ? '†' : ''}`);
    expect(names({})).toEqual(['Ann', 'Ben†', 'Cat', 'Zed']);
    expect(names({ userKeys: new Set([USER]) })).toEqual(['Ann', 'Ben†', 'Cat']);
    expect(names({ userKeys: new Set([USER]), includeDeleted: false })).toEqual(['Ann', 'Cat']);
    expect(names({ folderId: 'f1' })).toEqual(['Ann', 'Ben†']);
    expect(names({ search: 'WORK.example' })).toEqual(['Ben†']);
    expect(names({ search: '555 01' })).toEqual(['Ann']);
    expect(names({ search: 'grace cat' })).toEqual(['Cat']);
    expect(names({ search: 'grace ann' })).toEqual([]);
    expect(listContactIds(index, { folderId: 'f1' })).toEqual(['a', 'b']);
    expect(listContactIds(index, { userKeys: new Set(['acc/other']) })).toEqual(['z']);
  });
});

describe('search', () => {
  const ann = contact('Ann Lee', {
    phones: [{ value: '+44 20 7946 0018', type: 'work' }],
    addresses: [{ city: 'Zürich', type: 'home' }],
  });

  it('matches every word in any field, and phone digits whatever the spacing', () => {
    expect(matchesSearch(ann, 'lee zürich')).toBe(true);
    expect(matchesSearch(ann, 'lee paris')).toBe(false);
    expect(matchesSearch(ann, '7946 0018')).toBe(true);
    expect(matchesSearch(ann, '794600')).toBe(true);
    expect(matchesSearch(ann, 'ann 946-00')).toBe(true);
    // Digits mixed into a word are not a phone fragment.
    expect(matchesSearch(ann, 'a7946')).toBe(false);
    expect(matchesSearch(ann, '   ')).toBe(true);
    expect(compileSearch('  ')).toBeUndefined();
  });

  it('computes a revision text once', () => {
    const index = new HistoryIndex();
    apply(index, '2026-01-01T00:00:00.000Z', { ann });
    const version = index.contacts.get('ann')!.versions[0]!;
    expect(searchableOf(version)).toBe(searchableOf(version));
    expect(searchableOf(version).digits).toBe('442079460018');
  });
});

describe('plain sort keys', () => {
  it('order names exactly as the collator does, or step aside', () => {
    // A fixed pseudo-random sequence: the same pairs on every run.
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = 'abcxyzABCXYZ  -.';
    const word = () =>
      Array.from(
        { length: 1 + Math.floor(next() * 8) },
        () => alphabet[Math.floor(next() * alphabet.length)],
      ).join('');
    const sign = (value: number) => Math.sign(value);
    let compared = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const a = word();
      const b = next() < 0.3 ? a.slice(0, -1) + word() : word();
      const keyA = plainSortKey(a);
      const keyB = plainSortKey(b);
      if (keyA === undefined || keyB === undefined) continue;
      compared += 1;
      expect(sign(keyA < keyB ? -1 : keyA > keyB ? 1 : 0), `${a} / ${b}`).toBe(sign(byName.compare(a, b)));
    }
    if (/^en(-|$)/.test(byName.resolvedOptions().locale)) expect(compared).toBe(20_000);
    // Names the shortcut would order wrongly are left to the collator.
    for (const name of ["O'Brien", 'José', 'Item 10', 'Ελένη', 'Åsa'])
      expect(plainSortKey(name)).toBeUndefined();
  });
});

describe('sorting the contacts list by a column', () => {
  it('orders by company (empty last), by last change, and reversed, with names breaking ties', () => {
    const index = new HistoryIndex();
    const org = (name: string) => ({ organizations: [{ name }] }) as Partial<Contact>;
    apply(index, '2026-02-01T00:00:00.000Z', {
      a: contact('Anna', org('Zeta')),
      b: contact('Bert', org('Acme')),
      c: contact('Cleo'),
      d: contact('Dora', org('Acme')),
    });
    apply(index, '2026-02-03T00:00:00.000Z', { c: contact('Cleo', { notes: 'changed' }) });
    const names = (sort: 'name' | 'company' | 'updated', descending = false) =>
      listContacts(index, { sort, descending }).items.map((item) => item.displayName);
    expect(names('company')).toEqual(['Bert', 'Dora', 'Anna', 'Cleo']);
    expect(names('company', true)).toEqual(['Anna', 'Bert', 'Dora', 'Cleo']);
    expect(names('updated', true)[0]).toBe('Cleo');
    expect(names('updated')).toEqual(['Anna', 'Bert', 'Dora', 'Cleo']);
    expect(names('name', true)).toEqual(['Dora', 'Cleo', 'Bert', 'Anna']);
    // Pages and "select all" follow the same order.
    expect(listContacts(index, { sort: 'company', offset: 2, limit: 2 }).items.map((i) => i.id)).toEqual([
      'a',
      'c',
    ]);
    expect(listContactIds(index, { sort: 'company' })).toEqual(['b', 'd', 'a', 'c']);
  });
});

describe('preparing a query in time slices', () => {
  const many = (count: number, seed: number): Record<string, Contact> =>
    Object.fromEntries(
      generateContacts(count, { seed, photoShare: 0 }).map(({ contact: value }, position) => [
        `p${seed}-${position}`,
        { ...value, folderIds: position % 3 ? ['f1'] : ['f2'] },
      ]),
    );
  const queries = [
    { search: 'a' },
    { search: 'a', sort: 'company' as const },
    { folderId: 'f2', sort: 'updated' as const, descending: true },
    { includeDeleted: false, sort: 'name' as const, descending: true },
  ];

  it('answers as the synchronous list does, pausing as it goes, even when a snapshot lands meanwhile', async () => {
    const sliced = new HistoryIndex();
    const direct = new HistoryIndex();
    for (const index of [sliced, direct]) {
      apply(index, '2026-03-01T00:00:00.000Z', many(3000, 3));
      seq -= 1;
    }
    seq += 1;
    let pauses = 0;
    let landed = false;
    const pause = () => {
      pauses += 1;
      // Halfway through the first walk, a backup commits another 500 contacts.
      if (pauses === 5 && !landed) {
        landed = true;
        apply(sliced, '2026-03-02T00:00:00.000Z', many(500, 4), ['p3-0']);
        seq -= 1;
        apply(direct, '2026-03-02T00:00:00.000Z', many(500, 4), ['p3-0']);
      }
      return new Promise<void>((resolve) => setImmediate(resolve));
    };
    for (const query of queries) {
      await prepareList(sliced, query, pause);
      expect(listContacts(sliced, query)).toEqual(listContacts(direct, query));
      expect(listContacts(sliced, query).total).toBeGreaterThan(0);
    }
    expect(landed).toBe(true);
    // 3,500 rows walked, sorted, searched and filtered in pieces, not in one stretch.
    expect(pauses).toBeGreaterThan(20);
  });
});
