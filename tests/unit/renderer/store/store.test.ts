import { beforeEach, describe, expect, it } from 'vitest';
import { bindApi } from '../../../../renderer/src/store/bind-api';
import {
  DUPLICATE_WINDOW_MS,
  MAX_TOASTS,
  MERGE_WINDOW_MS,
} from '../../../../renderer/src/store/notifications-slice';
import { PAGE_SIZE } from '../../../../renderer/src/store/contacts-slice';
import { rowAt, selectAllChecked } from '../../../../renderer/src/store/selectors';
import { resetStore, useStore } from '../../../../renderer/src/store/store';
import { hashOfRoute, routeFromHash } from '../../../../renderer/src/store/ui-slice';
import { createFakeApi, fail, ok, type FakeApi } from '../fake-api';
import { job, summary } from '../fixtures';

let api: FakeApi;

beforeEach(() => {
  resetStore();
  api = createFakeApi();
  bindApi(api);
});

describe('resetStore', () => {
  it('returns every slice to its initial state and unbinds the API', async () => {
    useStore.setState({
      browseSearch: 'x',
      jobs: [job({ id: 'a' })],
      checkedIds: new Set(['c']),
      route: 'tasks',
    });
    useStore.getState().pushToast({ title: 't', body: '', kind: 'info' });
    resetStore();
    const state = useStore.getState();
    expect(state.browseSearch).toBe('');
    expect(state.jobs).toEqual([]);
    expect(state.checkedIds.size).toBe(0);
    expect(state.toasts).toEqual([]);
    expect(state.route).toBe('dashboard');
    await state.loadAccounts();
    expect(useStore.getState().accountsError?.code).toBe('no-api');
    expect(api.calls).toEqual([]);
  });
});

describe('session slice', () => {
  it('unlocks, and keeps the server sentence of a wrong password', async () => {
    api.handle('profile.unlock', (request) =>
      request.password === 'right'
        ? ok({ profileId: request.profileId, profileName: 'Alice' })
        : fail('wrong-password', 'That password does not open this profile.'),
    );
    const error = await useStore.getState().unlock('p1', 'wrong');
    expect(error).toEqual({
      code: 'wrong-password',
      message: 'That password does not open this profile.',
      retryable: false,
    });
    expect(useStore.getState().session).toBeNull();
    expect(await useStore.getState().unlock('p1', 'right')).toBeUndefined();
    expect(useStore.getState().session?.profileName).toBe('Alice');
  });

  it('loads the status and takes its session', async () => {
    api.handle('app.status', () =>
      ok({
        version: '1',
        host: 'web',
        profiles: [{ id: 'p1', name: 'A' }],
        session: { profileId: 'p1', profileName: 'A' },
      }),
    );
    await useStore.getState().loadStatus();
    expect(useStore.getState().appStatus?.profiles).toHaveLength(1);
    expect(useStore.getState().session?.profileId).toBe('p1');
  });

  it('turns a throwing bridge into a retryable error instead of an exception', async () => {
    api.handle('app.status', () => {
      throw new Error('bridge broke');
    });
    const original = console.error;
    console.error = () => {};
    try {
      await useStore.getState().loadStatus();
    } finally {
      console.error = original;
    }
    expect(useStore.getState().statusError).toMatchObject({ code: 'unexpected', retryable: true });
  });
});

describe('licence', () => {
  it('loads the licence, and keeps the old one when an install is refused', async () => {
    const view = { edition: 'business' as const, state: 'valid' as const, seats: 5, used: 2, free: 3 };
    api.handle('licence.status', () => ok(view));
    api.handle('licence.install', () => fail('invalid-licence', 'This licence key is not valid.'));
    await useStore.getState().loadLicence();
    expect(useStore.getState().licence).toEqual(view);
    const result = await useStore.getState().installLicence('bad');
    expect(result).toMatchObject({ ok: false, error: { message: 'This licence key is not valid.' } });
    expect(useStore.getState().licence).toEqual(view);
  });
});

describe('contacts slice', () => {
  it('asks for the first page with the search, folder and point in time, then the pages in view', async () => {
    const many = Array.from({ length: 450 }, (_, index) => summary(`c${index}`));
    api.handle('contacts.list', (request) => {
      const { offset = 0, limit = many.length } = request;
      return ok({ total: many.length, items: many.slice(offset, offset + limit) });
    });
    useStore.setState({
      browseUserKey: 'acc/user',
      browseFolderId: 'f1',
      browseAt: '2026-01-01T00:00:00.000Z',
      checkedIds: new Set(['c3']),
    });
    await useStore.getState().setSearch('  0018 ');
    const common = {
      userKey: 'acc/user',
      folderId: 'f1',
      at: '2026-01-01T00:00:00.000Z',
      search: '0018',
      includeDeleted: true,
    };
    const lists = () =>
      api.calls.filter((entry) => entry.channel === 'contacts.list').map((entry) => entry.request);
    expect(lists()).toEqual([{ ...common, offset: 0, limit: PAGE_SIZE }]);
    expect(useStore.getState().list?.total).toBe(450);
    expect(useStore.getState().listLoading).toBe(false);
    // Ticks belong to the list they were made in.
    expect(useStore.getState().checkedIds.size).toBe(0);

    // Rows 150..420 cover pages 0, 1 and 2; page 0 is there, so two are asked, once each.
    await Promise.all([useStore.getState().ensureRows(150, 420), useStore.getState().ensureRows(390, 420)]);
    expect(lists().slice(1)).toEqual([
      { ...common, offset: 200, limit: PAGE_SIZE },
      { ...common, offset: 400, limit: PAGE_SIZE },
    ]);
    const list = useStore.getState().list;
    expect(rowAt(list, 0)?.id).toBe('c0');
    expect(rowAt(list, 399)?.id).toBe('c399');
    expect(rowAt(list, 449)?.id).toBe('c449');
    expect(rowAt(list, 450)).toBeUndefined();
  });

  it('a refresh answers the same query (the list keeps its place); a new search is another', async () => {
    api.handle('contacts.list', () => ok({ total: 1, items: [summary('a')] }));
    useStore.setState({ browseUserKey: 'acc/user' });
    await useStore.getState().loadList();
    const first = useStore.getState().list?.key;
    await useStore.getState().loadList();
    expect(useStore.getState().list?.key).toBe(first);
    await useStore.getState().setSearch('x');
    expect(useStore.getState().list?.key).not.toBe(first);
  });

  it('starts over when a page says the list changed size under it', async () => {
    let total = 300;
    api.handle('contacts.list', (request) => {
      const items = Array.from({ length: total }, (_, index) => summary(`c${index}`));
      return ok({ total, items: items.slice(request.offset, (request.offset ?? 0) + (request.limit ?? 0)) });
    });
    useStore.setState({ browseUserKey: 'acc/user' });
    await useStore.getState().loadList();
    total = 301;
    await useStore.getState().ensureRows(250, 260);
    await expect.poll(() => useStore.getState().list?.total).toBe(301);
    expect(rowAt(useStore.getState().list, 250)).toBeUndefined();
  });

  it('sends one query at a time while typing, and only the newest of those waiting', async () => {
    const resolvers: ((
      value: ReturnType<typeof ok<{ total: number; items: ReturnType<typeof summary>[] }>>,
    ) => void)[] = [];
    api.handle('contacts.list', () => new Promise((resolve) => resolvers.push(resolve)));
    useStore.setState({ browseUserKey: 'acc/user' });
    const first = useStore.getState().setSearch('a');
    const second = useStore.getState().setSearch('ab');
    const third = useStore.getState().setSearch('abc');
    expect(resolvers).toHaveLength(1);
    resolvers[0](ok({ total: 1, items: [summary('old')] }));
    await Promise.all([first, second]);
    await expect.poll(() => resolvers.length).toBe(2);
    expect(useStore.getState().listLoading).toBe(true);
    resolvers[1](ok({ total: 1, items: [summary('new')] }));
    await third;
    const searches = api.calls
      .filter((entry) => entry.channel === 'contacts.list')
      .map((entry) => (entry.request as { search: string }).search);
    expect(searches).toEqual(['a', 'abc']);
    expect(rowAt(useStore.getState().list, 0)?.id).toBe('new');
    expect(useStore.getState().listLoading).toBe(false);
  });

  it('select all ticks every id the query matches, loaded or not', async () => {
    api.handle('contacts.ids', (request) => {
      expect(request).toEqual({ userKey: 'acc/user', includeDeleted: true, search: 'x' });
      return ok(['a', 'b', 'c']);
    });
    useStore.setState({
      browseUserKey: 'acc/user',
      browseSearch: 'x',
      list: { key: 'k', total: 3, pages: {} },
    });
    await useStore.getState().selectAll();
    expect([...useStore.getState().checkedIds]).toEqual(['a', 'b', 'c']);
    expect(selectAllChecked(useStore.getState())).toBe(true);
  });

  it('selects like Outlook: click one, Ctrl-click toggles, Shift-click ranges over rows not loaded', async () => {
    const ids = Array.from({ length: 450 }, (_, index) => `c${index}`);
    api.handle('contacts.ids', (request) => {
      expect(request).toEqual({
        userKey: 'acc/user',
        includeDeleted: true,
        sort: 'company',
        descending: true,
      });
      return ok(ids);
    });
    useStore.setState({
      browseUserKey: 'acc/user',
      browseSort: { by: 'company', descending: true },
      list: { key: 'k', total: 450, pages: { 0: ids.slice(0, PAGE_SIZE).map((id) => summary(id)) } },
    });
    const state = () => useStore.getState();
    state().selectOnly(3, 'c3');
    state().toggleAt(5, 'c5');
    expect([...state().checkedIds]).toEqual(['c3', 'c5']);
    // The anchor is the last row toggled; a range inside the loaded page needs no request.
    await state().selectRange(7);
    expect([...state().checkedIds]).toEqual(['c5', 'c6', 'c7']);
    expect(api.calls.filter((entry) => entry.channel === 'contacts.ids')).toHaveLength(0);
    // A range into pages not loaded asks for the ids of the whole query, in its order.
    await state().selectRange(300);
    expect(state().checkedIds.size).toBe(296);
    expect(state().checkedIds.has('c300')).toBe(true);
    expect(state().checkedIds.has('c4')).toBe(false);
    expect(state().activeIndex).toBe(300);
  });

  it('sorting turns the same column around and keeps the selection', async () => {
    api.handle('contacts.list', () => ok({ total: 1, items: [summary('a')] }));
    useStore.setState({ browseUserKey: 'acc/user', checkedIds: new Set(['a']) });
    await useStore.getState().setSort('company');
    await useStore.getState().setSort('company');
    await useStore.getState().setSort('updated');
    const sorts = api.calls
      .filter((entry) => entry.channel === 'contacts.list')
      .map((entry) => {
        const request = entry.request as { sort?: string; descending?: boolean };
        return `${request.sort ?? 'name'}${request.descending ? ' desc' : ''}`;
      });
    expect(sorts).toEqual(['company', 'company desc', 'updated desc']);
    expect([...useStore.getState().checkedIds]).toEqual(['a']);
  });

  it('selecting a user clears the previous user state and loads folders, snapshots and list', async () => {
    api.handle('folders.list', () => ok([{ id: 'f', name: 'F', count: 1 }]));
    api.handle('snapshots.list', () => ok([]));
    api.handle('contacts.list', () => ok({ total: 1, items: [summary('c1')] }));
    useStore.setState({ checkedIds: new Set(['zz']), detailsId: 'old', browseFolderId: 'old-folder' });
    await useStore.getState().selectUser('acc/other');
    const state = useStore.getState();
    expect(state.browseUserKey).toBe('acc/other');
    expect(state.browseFolderId).toBeUndefined();
    expect(state.detailsId).toBeUndefined();
    expect(state.checkedIds.size).toBe(0);
    expect(state.folders).toHaveLength(1);
    expect(state.list?.total).toBe(1);
  });

  it('opens a version of a contact by snapshot id', async () => {
    api.handle('contacts.get', () => fail('not-found', 'That contact is not in the backup.', false));
    await useStore.getState().openDetails('c1', 'snap-1');
    expect(api.calls.at(-1)).toEqual({
      channel: 'contacts.get',
      request: { contactId: 'c1', snapshotId: 'snap-1' },
    });
    expect(useStore.getState().detailsError?.message).toBe('That contact is not in the backup.');
    expect(useStore.getState().detailsSnapshotId).toBe('snap-1');
  });
});

describe('selection slice', () => {
  it('toggles, sets and clears ticks', () => {
    const state = useStore.getState();
    state.toggleChecked('a');
    state.toggleChecked('b');
    state.toggleChecked('a');
    expect([...useStore.getState().checkedIds]).toEqual(['b']);
    state.setChecked(['x', 'y']);
    expect(useStore.getState().checkedIds.size).toBe(2);
    state.clearChecked();
    expect(useStore.getState().checkedIds.size).toBe(0);
  });
});

describe('tasks slice', () => {
  it('startJob records the job and shows the "job created" toast', async () => {
    api.handle('backup.run', () => ok(job({ id: 'j1', kind: 'backup', title: 'Back up me@example.com' })));
    const result = await useStore.getState().startJob('backup.run', { userKey: 'acc/user' });
    expect(result.ok).toBe(true);
    expect(useStore.getState().jobs.map((j) => j.id)).toEqual(['j1']);
    expect(useStore.getState().toasts[0]).toMatchObject({ title: 'Backup job created', kind: 'info' });
    expect(useStore.getState().toasts[0].body).toContain('Back up me@example.com');
  });

  it('startJob shows no toast when the server refuses', async () => {
    api.handle('delete.start', () => fail('wrong-password', 'Wrong password. Nothing was deleted.'));
    const result = await useStore.getState().startJob('delete.start', { userKey: 'acc/user', password: 'x' });
    expect(result.ok).toBe(false);
    expect(useStore.getState().toasts).toEqual([]);
    expect(useStore.getState().jobs).toEqual([]);
  });

  it('cancel and resume write the answered job back', async () => {
    useStore.getState().upsertJobs([job({ id: 'j', state: 'running' })]);
    api.handle('tasks.cancel', ({ id }) => ok(job({ id, state: 'cancelled' })));
    api.handle('tasks.resume', ({ id }) => ok(job({ id, state: 'queued' })));
    await useStore.getState().cancelTask('j');
    expect(useStore.getState().jobs[0].state).toBe('cancelled');
    await useStore.getState().resumeTask('j');
    expect(useStore.getState().jobs[0].state).toBe('queued');
  });
});

describe('notifications slice', () => {
  it('shows one toast for the same event seen twice, and counts further jobs of one action into it', () => {
    const push = useStore.getState().pushToast;
    const ours = {
      title: 'Restore job created',
      body: 'Restore all of Ann. Follow it in the Task Manager.',
      kind: 'info',
    } as const;
    expect(push(ours, 1000)).toBeTypeOf('number');
    expect(push({ ...ours, body: 'Restore all of Ann' }, 1500)).toBeUndefined();
    const first = useStore.getState().toasts[0].id;
    expect(push({ ...ours, body: 'Restore all of Bob' }, 1600)).toBe(first);
    expect(push(ours, 1000 + DUPLICATE_WINDOW_MS)).toBe(first);
    expect(useStore.getState().toasts).toHaveLength(1);
    expect(useStore.getState().toasts[0].count).toBe(3);
    // Long after, the same kind of event is a new action with its own toast.
    expect(push(ours, 1000 + DUPLICATE_WINDOW_MS + MERGE_WINDOW_MS + 5000)).not.toBe(first);
    expect(useStore.getState().toasts).toHaveLength(2);
  });

  it('lets the summary of one action stand for its jobs, whichever arrives first', () => {
    const push = useStore.getState().pushToast;
    const job = (name: string) =>
      ({ title: 'Backup job created', body: `Back up ${name}`, kind: 'info' }) as const;
    const summary = { ...job(''), body: 'Initial backup created: 2 job(s).', summary: true };
    push(job('Ann'), 1000);
    push(summary, 1100);
    push(job('Bob'), 1200);
    expect(useStore.getState().toasts).toHaveLength(1);
    expect(useStore.getState().toasts[0]).toMatchObject({ body: summary.body, count: 1 });
  });

  it('keeps at most MAX_TOASTS and dismisses by id', () => {
    for (let i = 0; i < MAX_TOASTS + 2; i++)
      useStore.getState().pushToast({ title: `t${i}`, body: '', kind: 'info' });
    const toasts = useStore.getState().toasts;
    expect(toasts).toHaveLength(MAX_TOASTS);
    expect(toasts[0].title).toBe('t2');
    useStore.getState().dismissToast(toasts[0].id);
    expect(useStore.getState().toasts.map((t) => t.title)).not.toContain('t2');
  });
});

describe('ui slice routes', () => {
  it('maps hashes to routes and back', () => {
    expect(routeFromHash('')).toBe('dashboard');
    expect(routeFromHash('#/')).toBe('dashboard');
    expect(routeFromHash('#/tasks')).toBe('tasks');
    expect(routeFromHash('#/tasks?token=abc')).toBe('tasks');
    expect(routeFromHash('#/nowhere')).toBe('dashboard');
    expect(hashOfRoute('dashboard')).toBe('#/');
    expect(hashOfRoute('contacts')).toBe('#/contacts');
  });
});
