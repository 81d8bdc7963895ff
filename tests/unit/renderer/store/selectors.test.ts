import { beforeEach, describe, expect, it } from 'vitest';
import {
  filterJobs,
  flattenFolders,
  selectAllChecked,
  rowAt,
  selectChecked,
  selectCurrentFolder,
  usersOf,
} from '../../../../renderer/src/store/selectors';
import { PAGE_SIZE } from '../../../../renderer/src/store/contacts-slice';
import { resetStore, useStore } from '../../../../renderer/src/store/store';
import { mergeJobs } from '../../../../renderer/src/store/tasks-slice';
import { job, summary } from '../fixtures';

beforeEach(() => resetStore());

describe('flattenFolders', () => {
  it('nests by parentId with depth, system folders first, then by name', () => {
    const nodes = flattenFolders([
      { id: 'w', name: 'Work', count: 3 },
      { id: 't', name: 'Team', parentId: 'w', count: 1 },
      { id: 'a', name: 'Alpha squad', parentId: 't', count: 0 },
      { id: 'm', name: 'My Contacts', system: 'default', count: 9 },
      { id: 'f', name: 'Friends', count: 2 },
    ]);
    expect(nodes.map((n) => `${n.depth}:${n.folder.name}`)).toEqual([
      '0:My Contacts',
      '0:Friends',
      '0:Work',
      '1:Team',
      '2:Alpha squad',
    ]);
  });

  it('never hides a folder whose parent is missing or part of a cycle', () => {
    const nodes = flattenFolders([
      { id: 'orphan', name: 'Orphan', parentId: 'gone', count: 0 },
      { id: 'x', name: 'X', parentId: 'y', count: 0 },
      { id: 'y', name: 'Y', parentId: 'x', count: 0 },
    ]);
    expect(nodes.map((n) => n.folder.id).sort()).toEqual(['orphan', 'x', 'y']);
    expect(nodes.find((n) => n.folder.id === 'orphan')?.depth).toBe(0);
  });
});

describe('selection selectors', () => {
  it('knows "all ticked" from the list total, loaded pages or not', () => {
    useStore.setState({ list: { key: 'k', total: 3, pages: { 0: [summary('a'), summary('b')] } } });
    useStore.getState().setChecked(['c', 'a']);
    expect(selectChecked(useStore.getState())).toEqual(['c', 'a']);
    expect(selectAllChecked(useStore.getState())).toBe(false);
    useStore.getState().toggleChecked('b');
    expect(selectAllChecked(useStore.getState())).toBe(true);
  });

  it('an empty list is never "all ticked"', () => {
    useStore.setState({ list: { key: 'k', total: 0, pages: {} } });
    expect(selectAllChecked(useStore.getState())).toBe(false);
  });

  it('finds a row by index across pages, undefined while its page is missing', () => {
    const page = (from: number) => Array.from({ length: PAGE_SIZE }, (_, i) => summary(`c${from + i}`));
    const list = { key: 'k', total: 3 * PAGE_SIZE, pages: { 0: page(0), 2: page(2 * PAGE_SIZE) } };
    expect(rowAt(list, 0)?.id).toBe('c0');
    expect(rowAt(list, PAGE_SIZE - 1)?.id).toBe(`c${PAGE_SIZE - 1}`);
    expect(rowAt(list, PAGE_SIZE)).toBeUndefined();
    expect(rowAt(list, 2 * PAGE_SIZE + 5)?.id).toBe(`c${2 * PAGE_SIZE + 5}`);
    expect(rowAt(undefined, 0)).toBeUndefined();
  });

  it('finds the current folder', () => {
    useStore.setState({ folders: [{ id: 'f', name: 'F', count: 1 }], browseFolderId: 'f' });
    expect(selectCurrentFolder(useStore.getState())?.name).toBe('F');
  });
});

describe('usersOf', () => {
  it('lists every user with its account label', () => {
    const users = usersOf([
      {
        id: 'acc',
        kind: 'sample',
        label: 'Sample',
        status: 'ok',
        backupEnabled: true,
        seatSource: 'own',
        users: [
          { userKey: 'acc/u1', id: 'u1', email: 'a@x', enabled: true, active: true, contactCount: 1 },
          { userKey: 'acc/u2', id: 'u2', email: 'b@x', enabled: true, active: true, contactCount: 2 },
        ],
      },
    ]);
    expect(users.map((u) => `${u.accountLabel}:${u.user.userKey}`)).toEqual([
      'Sample:acc/u1',
      'Sample:acc/u2',
    ]);
    expect(usersOf(undefined)).toEqual([]);
  });
});

describe('jobs', () => {
  it('filters by state and kind', () => {
    const jobs = [
      job({ id: '1', kind: 'backup', state: 'running' }),
      job({ id: '2', kind: 'restore', state: 'failed' }),
      job({ id: '3', kind: 'backup', state: 'failed' }),
    ];
    expect(filterJobs(jobs, {}).map((j) => j.id)).toEqual(['1', '2', '3']);
    expect(filterJobs(jobs, { state: 'failed' }).map((j) => j.id)).toEqual(['2', '3']);
    expect(filterJobs(jobs, { state: 'failed', kind: 'backup' }).map((j) => j.id)).toEqual(['3']);
  });

  it('merges by id and sorts newest first with a stable tie-break', () => {
    const merged = mergeJobs(
      [
        job({ id: 'a', createdAt: '2026-01-01T00:00:00Z' }),
        job({ id: 'b', createdAt: '2026-01-03T00:00:00Z' }),
      ],
      [
        job({ id: 'c', createdAt: '2026-01-01T00:00:00Z' }),
        job({ id: 'a', createdAt: '2026-01-01T00:00:00Z', state: 'succeeded' }),
      ],
    );
    expect(merged.map((j) => j.id)).toEqual(['b', 'c', 'a']);
    expect(merged[2].state).toBe('succeeded');
  });
});
