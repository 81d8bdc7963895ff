import { describe, expect, it } from 'vitest';
import { emptyContact } from '../../../main/core/contacts/model';
import {
  decodeSegment,
  decodeSegmentContacts,
  decodeSegmentContactsLater,
  decodeSegmentSummary,
  decodeSegmentTexts,
  decodeSegmentTextsLater,
  encodeSegment,
} from '../../../main/core/history/segment-codec';
import { searchableNow } from '../../../main/core/history/contact-search';
import type { SegmentFile } from '../../../main/core/history/types';
import { VaultError } from '../../../main/core/vault/errors';

const segment: SegmentFile = {
  version: 1,
  id: 'g1',
  snapshotId: 's1',
  userKey: 'acct/me',
  folders: [{ id: 'f1', name: 'Friends' }],
  puts: [
    {
      contactId: 'c1',
      sourceId: 'uid-1',
      hash: 'h1',
      photoKey: 'k1',
      contact: {
        ...emptyContact('Ann Lee'),
        emails: [{ value: 'ann@example.org', type: 'home' }],
        notes: 'line one\nline two',
        folderIds: ['f1'],
        photo: { hash: 'p1', mediaType: 'image/jpeg' },
      },
    },
    { contactId: 'c2', sourceId: 'uid-2', hash: 'h2', contact: emptyContact('Bo') },
  ],
  deletes: ['c9'],
  renames: [{ contactId: 'c3', sourceId: 'uid-3b' }],
};

function failure(run: () => unknown): VaultError {
  try {
    run();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('did not fail');
}

describe('segment files', () => {
  it('write the summary, the search text and the contacts as three parts and read back the same', async () => {
    const plain = await encodeSegment(segment);
    expect(plain.subarray(0, 5).toString('latin1')).toBe('CBSG\u0002');
    expect(decodeSegment(plain, 'segments/g1', 'g1')).toEqual(segment);
    expect(decodeSegmentContacts(plain, 'segments/g1', 'g1')).toEqual(segment.puts.map((put) => put.contact));
    expect(await decodeSegmentContactsLater(plain, 'segments/g1', 'g1')).toEqual(
      segment.puts.map((put) => put.contact),
    );
    const texts = segment.puts.map((put) => searchableNow(put.contact));
    expect(decodeSegmentTexts(plain, 'segments/g1', 'g1')).toEqual(texts);
    expect(await decodeSegmentTextsLater(plain, 'segments/g1', 'g1')).toEqual(texts);
    const summary = decodeSegmentSummary(plain, 'segments/g1', 'g1');
    expect(summary.puts[0]).toEqual({
      contactId: 'c1',
      sourceId: 'uid-1',
      hash: 'h1',
      photoKey: 'k1',
      photo: { hash: 'p1', mediaType: 'image/jpeg' },
      folderIds: ['f1'],
      brief: { displayName: 'Ann Lee', email: 'ann@example.org' },
    });
    expect(summary.deletes).toEqual(['c9']);
  });

  it('still read version 1 (one object, contacts inside)', () => {
    const plain = Buffer.from(JSON.stringify(segment), 'utf8');
    expect(decodeSegment(plain, 'segments/g1', 'g1')).toEqual(segment);
    expect(decodeSegmentTexts(plain, 'segments/g1', 'g1')).toBeUndefined();
    expect(decodeSegmentSummary(plain, 'segments/g1', 'g1').puts[1]).toMatchObject({
      contactId: 'c2',
      brief: { displayName: 'Bo' },
    });
  });

  it('refuse a file of another segment, a cut or damaged part, or a newer version', async () => {
    const plain = await encodeSegment(segment);
    expect(failure(() => decodeSegmentSummary(plain, 'segments/g2', 'g2')).message).toBe(
      'Backup data file g2 does not belong here.',
    );
    const cut = plain.subarray(0, plain.length - 5);
    expect(failure(() => decodeSegmentContacts(cut, 'segments/g1', 'g1')).message).toBe(
      'Backup data file g1 is cut short.',
    );
    const damaged = Buffer.from(plain);
    damaged[damaged.length - 3] ^= 0xff;
    expect(failure(() => decodeSegmentContacts(damaged, 'segments/g1', 'g1')).code).toBe('tampered');
    const newer = Buffer.from(plain);
    newer[4] = 3;
    expect(failure(() => decodeSegmentSummary(newer, 'segments/g1', 'g1')).code).toBe('unsupported-version');
  });
});
