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

  it('refreshes the Dashboard and the next backup time after backup.finished, even a failed one', async () => {
    api.handle('accounts.list', () => ok([]));
    api.handle('schedule.next', () => ok({ at: '2026-06-01T14:07:00.000Z', userKey: 'acc/user' }));
    useStore.setState({ session: { profileId: 'p', profileName: 'P' }, browseUserKey: 'acc/user' });
    api.emit('backup.finished', { userKey: 'acc/user', jobId: 'j' });
    await expect.poll(() => useStore.getState().nextBackup?.at).toBe('2026-06-01T14:07:00.000Z');
    expect(api.calls.map((c) => c.channel).sort()).toEqual(['accounts.list', 'schedule.next']);
  });

  for (const kind of ['backup', 'restore', 'delete', 'check']) {
    it(`refreshes the list rows, folder counts, point-in-time list and info pane after a ${kind} (history.changed)`, async () => {
      api.handle('accounts.list', () => ok([]));
      api.handle('schedule.next', () => ok({}));
      api.handle('snapshots.list', () => ok([]));
      api.handle('folders.list', () => ok([]));
      api.handle('contacts.list', () => ok({ total: 1, items: [summary('c1', 'New name')] }));
      api.handle('contacts.get', () =>
        ok({ summary: summary('c1', 'New name'), contact: {}, folderNames: [], versions: [] } as never),
      );
      useStore.setState({
        session: { profileId: 'p', profileName: 'P' },
        browseUserKey: 'acc/user',
        detailsId: 'c1',
        list: { key: 'old', total: 1, pages: { 0: [summary('c1', 'Old name')] } },
      });
      api.emit('history.changed', { kind, userKey: 'acc/user', jobId: 'j' });
      await expect.poll(() => rowAt(useStore.getState().list, 0)?.displayName).toBe('New name');
      await expect.poll(() => useStore.getState().details?.summary.displayName).toBe('New name');
      expect(new Set(api.calls.map((c) => c.channel))).toEqual(
        new Set([
          'accounts.list',
          'schedule.next',
          'snapshots.list',
          'folders.list',
          'contacts.list',
          'contacts.get',
        ]),
      );
    });
  }

  it('closes the info pane when its contact was deleted from the backup', async () => {
    api.handle('accounts.list', () => ok([]));
    api.handle('schedule.next', () => ok({}));
    api.handle('snapshots.list', () => ok([]));
    api.handle('folders.list', () => ok([]));
    api.handle('contacts.list', () => ok({ total: 0, items: [] }));
    api.handle('contacts.get', () => ({
      ok: false,
      error: { code: 'not-found', message: 'There is no such contact.', retryable: false },
    }));
    useStore.setState({
      session: { profileId: 'p', profileName: 'P' },
      browseUserKey: 'acc/user',
      detailsId: 'c1',
    });
    api.emit('history.changed', { kind: 'delete', userKey: 'acc/user', jobId: 'j' });
    await expect.poll(() => useStore.getState().detailsId).toBeUndefined();
    expect(useStore.getState().detailsError).toBeUndefined();
  });

  it('leaves the browsed user alone when another user changed', async () => {
    api.handle('accounts.list', () => ok([]));
    api.handle('schedule.next', () => ok({}));
    useStore.setState({ session: { profileId: 'p', profileName: 'P' }, browseUserKey: 'acc/user' });
    api.emit('history.changed', { kind: 'backup', userKey: 'acc/other', jobId: 'j' });
    await expect.poll(() => api.calls.length).toBe(2);
    expect(api.calls.map((c) => c.channel).sort()).toEqual(['accounts.list', 'schedule.next']);
  });

  it('stops writing pushes once unbound', () => {
    unbind();
    expect(api.listenerCount('tasks.changed')).toBe(0);
    api.emit('notification', { title: 'late', body: '', kind: 'info' });
    expect(useStore.getState().toasts).toEqual([]);
    unbind = () => {};
  });
});
