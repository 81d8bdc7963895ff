import { describe, expect, it } from 'vitest';
import { emptyContact } from '../../../main/core/contacts/model';
import { HistoryIndex } from '../../../main/core/history/history-index';
import type { SegmentFile, SnapshotRecord } from '../../../main/core/history/types';

const USER = 'acc/u';

function snapshot(seq: number): SnapshotRecord {
  const at = `2026-01-0${seq}T00:00:00.000Z`;
  return {
    id: `s${seq}`,
    seq,
    userKey: USER,
    kind: 'incremental',
    startedAt: at,
    finishedAt: at,
    counts: { added: 0, changed: 0, deleted: 0, unchanged: 0 },
    segments: [`g${seq}`],
  };
}

function segment(seq: number, ids: number[], deletes: string[] = [], renamed?: string): SegmentFile {
  return {
    version: 1,
    id: `g${seq}`,
    snapshotId: `s${seq}`,
    userKey: USER,
    folders: [{ id: `f${seq}`, name: `Folder ${seq}` }],
    puts: ids.map((n) => ({
      contactId: `c${n}`,
      sourceId: `src-${n}`,
      hash: `h${n}-${seq}`,
      contact: emptyContact(`Person ${n} at ${seq}`),
    })),
    deletes,
    renames: renamed ? [{ contactId: renamed, sourceId: `renamed-${renamed}` }] : [],
  };
}

/** Everything a reader of the index can see, in a comparable form. */
function view(index: HistoryIndex) {
  return {
    contacts: [...index.contacts.values()].map((history) => ({
      ...history,
      versions: history.versions.map((version) => ({ ...version })),
    })),
    sources: [...index.contacts.values()].map((history) => index.idForSource(USER, history.sourceId)),
    folders: index.foldersAt(USER),
    snapshots: index.snapshots.map((record) => record.id),
  };
}

describe('history index', () => {
  it('applies a snapshot in steps to the same state as in one go, pausing between steps and raising the revision at the end', async () => {
    const many = Array.from({ length: 4500 }, (_, n) => n);
    const first = [snapshot(1), [segment(1, many)]] as const;
    const second = [snapshot(2), [segment(2, many.slice(0, 3000), ['c4400', 'c4401'], 'c7')]] as const;

    const whole = new HistoryIndex();
    whole.apply(...first);
    whole.apply(...second);

    const stepped = new HistoryIndex();
    let pauses = 0;
    const pause = () => {
      pauses += 1;
      return Promise.resolve();
    };
    await stepped.applyInSteps(...first, pause);
    const revisionAfterFirst = stepped.revision;
    await stepped.applyInSteps(...second, pause);

    expect(view(stepped)).toEqual(view(whole));
    // 4,500 contacts in steps of 2,000 are three steps; 3,000 are two.
    expect(pauses).toBe(5);
    // Started (one) and finished (another): a view computed half way is outdated at the end.
    expect(stepped.revision - revisionAfterFirst).toBe(2);
    expect(stepped.contacts.get('c4400')?.versions.at(-1)?.until?.deleted).toBe(true);
    expect(stepped.idForSource(USER, 'renamed-c7')).toBe('c7');
  });
});
