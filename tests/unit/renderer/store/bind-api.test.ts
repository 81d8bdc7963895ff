import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bindApi } from '../../../../renderer/src/store/bind-api';
import { rowAt } from '../../../../renderer/src/store/selectors';
import { resetStore, useStore } from '../../../../renderer/src/store/store';
import { createFakeApi, ok, type FakeApi } from '../fake-api';
import { job, summary } from '../fixtures';

describe('bindApi', () => {
  let api: FakeApi;
  let unbind: () => void;

  beforeEach(() => {
    resetStore();
    api = createFakeApi();
    unbind = bindApi(api);
  });
  afterEach(() => unbind());

  it('merges tasks.changed pushes into the job list by id, newest first', () => {
    api.emit('tasks.changed', [job({ id: 'a', createdAt: '2026-01-01T00:00:00Z' })]);
    api.emit('tasks.changed', [
      job({ id: 'b', createdAt: '2026-01-02T00:00:00Z' }),
      job({
        id: 'a',
        createdAt: '2026-01-01T00:00:00Z',
        state: 'running',
        progress: { phase: 'reading', done: 3, total: 9 },
      }),
    ]);
    const jobs = useStore.getState().jobs;
    expect(jobs.map((j) => j.id)).toEqual(['b', 'a']);
    expect(jobs[1].state).toBe('running');
    expect(jobs[1].progress.done).toBe(3);
  });

  it('shows notification pushes as toasts', () => {
    api.emit('notification', { title: 'Backup finished', body: '12 contacts saved', kind: 'info' });
    expect(useStore.getState().toasts).toMatchObject([
      { title: 'Backup finished', body: '12 contacts saved' },
    ]);
  });

  it('clears the previous profile data when session.changed names another profile', () => {
    api.emit('session.changed', { profileId: 'p1', profileName: 'Alice' });
    useStore.setState({
      accounts: [],
      list: { key: 'k', total: 1, pages: { 0: [summary('c1')] } },
      checkedIds: new Set(['c1']),
      jobs: [job({ id: 'j1' })],
    });
    api.emit('session.changed', { profileId: 'p1', profileName: 'Alice' });
    expect(useStore.getState().list?.total).toBe(1);

    api.emit('session.changed', { profileId: 'p2', profileName: 'Bob' });
    const state = useStore.getState();
    expect(state.session?.profileName).toBe('Bob');
    expect(state.list).toBeUndefined();
    expect(state.accounts).toBeUndefined();
    expect(state.checkedIds.size).toBe(0);
    expect(state.jobs).toEqual([]);

    api.emit('session.changed', null);
    expect(useStore.getState().session).toBeNull();
  });

  it('reloads the browsed user after backup.finished for that user', async () => {
    api.handle('accounts.list', () => ok([]));
    api.handle('snapshots.list', () => ok([]));
    api.handle('folders.list', () => ok([]));
    api.handle('contacts.list', () => ok({ total: 1, items: [summary('fresh')] }));
    useStore.setState({ session: { profileId: 'p', profileName: 'P' }, browseUserKey: 'acc/user' });
    api.emit('backup.finished', { userKey: 'acc/user', jobId: 'j' });
    await expect.poll(() => rowAt(useStore.getState().list, 0)?.id).toBe('fresh');
    expect(api.calls.map((c) => c.channel).sort()).toEqual([
      'accounts.list',
      'contacts.list',
      'folders.list',
      'snapshots.list',
    ]);
  });

  it('stops writing pushes once unbound', () => {
    unbind();
    expect(api.listenerCount('tasks.changed')).toBe(0);
    api.emit('notification', { title: 'late', body: '', kind: 'info' });
    expect(useStore.getState().toasts).toEqual([]);
    unbind = () => {};
  });
});
