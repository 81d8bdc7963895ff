/**
 * What the Contacts screen browses: the user, folder, search and point in time, and the server's
 * answers for them (list, folders, snapshots, one contact's details). Every request carries a sequence
 * number so a slow answer to an old query never overwrites the answer to a newer one.
 */
import { call } from '../lib/api-client';
import { LIST_PAGE_SIZE } from '../lib/api-types';
import type {
  ApiError,
  ContactDetailsView,
  ContactSummaryView,
  FolderView,
  RestorePlanView,
  ContactSort,
  RestoreRequest,
  Result,
  SnapshotView,
} from '../lib/api-types';
import type { SliceCreator } from './store-types';

/** Rows per request: a few screens, small enough to arrive at once (the contract's page size). */
export const PAGE_SIZE = LIST_PAGE_SIZE;

/**
 * The part of the current list the renderer holds: its length and the pages fetched so far. The
 * list is virtualized, so only pages near the visible rows are ever asked for; 100,000 contacts
 * never cross the API at once.
 */
export interface ListWindow {
  /** The query this list answers: a refresh keeps the scroll position, a new query starts at the top. */
  readonly key: string;
  readonly total: number;
  readonly pages: Readonly<Record<number, readonly ContactSummaryView[]>>;
}

export interface ContactsSlice {
  browseUserKey: string | undefined;
  browseFolderId: string | undefined;
  browseSearch: string;
  /** ISO time of the chosen backup; undefined means now. */
  browseAt: string | undefined;
  /** The column the list is sorted by and its direction (name, A–Z by default). */
  browseSort: { readonly by: ContactSort; readonly descending: boolean };
  list: ListWindow | undefined;
  listLoading: boolean;
  listError: ApiError | undefined;
  folders: readonly FolderView[] | undefined;
  foldersError: ApiError | undefined;
  snapshots: readonly SnapshotView[] | undefined;
  details: ContactDetailsView | undefined;
  detailsError: ApiError | undefined;
  detailsLoading: boolean;
  detailsId: string | undefined;
  detailsSnapshotId: string | undefined;
  selectUser(userKey: string | undefined): Promise<void>;
  selectFolder(folderId: string | undefined): Promise<void>;
  setSearch(search: string): Promise<void>;
  setAt(at: string | undefined): Promise<void>;
  /** Sorts by a column; the column already sorted by turns around. */
  setSort(by: ContactSort): Promise<void>;
  /** Asks again for the current query from its first page (new filter, or data changed). */
  loadList(): Promise<void>;
  /** Fetches the pages covering rows [start, end) that are not loaded or on their way. */
  ensureRows(start: number, end: number): Promise<void>;
  /** Ticks every contact the current query matches, loaded or not. */
  selectAll(): Promise<void>;
  loadFolders(): Promise<void>;
  loadSnapshots(): Promise<void>;
  openDetails(contactId: string, snapshotId?: string): Promise<void>;
  closeDetails(): void;
  /** Asks what a restore would do; writes nothing (B11). */
  previewRestore(request: RestoreRequest): Promise<Result<RestorePlanView>>;
}

const sequence = { list: 0, folders: 0, snapshots: 0, details: 0 };
/** The list request on its way: a newer query waits for it instead of piling up behind it. */
let listInFlight: Promise<unknown> | undefined;
/** Pages asked for under the current list sequence number. */
let pagesRequested = new Set<number>();

export const createContactsSlice: SliceCreator<ContactsSlice> = (set, get) => ({
  browseUserKey: undefined,
  browseFolderId: undefined,
  browseSearch: '',
  browseAt: undefined,
  browseSort: { by: 'name', descending: false },
  list: undefined,
  listLoading: false,
  listError: undefined,
  folders: undefined,
  foldersError: undefined,
  snapshots: undefined,
  details: undefined,
  detailsError: undefined,
  detailsLoading: false,
  detailsId: undefined,
  detailsSnapshotId: undefined,

  async selectUser(userKey) {
    set({
      browseUserKey: userKey,
      browseFolderId: undefined,
      browseAt: undefined,
      list: undefined,
      folders: undefined,
      snapshots: undefined,
      details: undefined,
      detailsId: undefined,
      detailsSnapshotId: undefined,
      detailsError: undefined,
      checkedIds: new Set<string>(),
      activeIndex: 0,
      anchorIndex: 0,
    });
    if (!userKey) return;
    await Promise.all([get().loadFolders(), get().loadSnapshots(), get().loadList()]);
  },

  async selectFolder(folderId) {
    set({ browseFolderId: folderId, checkedIds: new Set<string>(), activeIndex: 0 });
    await get().loadList();
  },

  async setSearch(search) {
    // Ticks belong to the list they were made in: a new search starts with none.
    set({ browseSearch: search, activeIndex: 0, checkedIds: new Set<string>() });
    await get().loadList();
  },

  async setAt(at) {
    set({ browseAt: at, checkedIds: new Set<string>(), activeIndex: 0 });
    const reloadDetails = get().detailsId;
    await Promise.all([
      get().loadFolders(),
      get().loadList(),
      reloadDetails ? get().openDetails(reloadDetails) : Promise.resolve(),
    ]);
  },

  async setSort(by) {
    const current = get().browseSort;
    const descending = current.by === by ? !current.descending : by === 'updated';
    // The selection stays (the same contacts in another order); the focus goes back to the top.
    set({ browseSort: { by, descending }, activeIndex: 0, anchorIndex: 0 });
    await get().loadList();
  },

  async loadList() {
    if (!get().browseUserKey) return;
    const mine = ++sequence.list;
    set({ listLoading: true, listError: undefined });
    // Typing sends a query per key; each waits for the one before, and only the newest is sent.
    while (listInFlight) {
      await listInFlight;
      if (mine !== sequence.list) return;
    }
    pagesRequested = new Set([0]);
    const query = listQuery(get());
    const request = call('contacts.list', { ...query, offset: 0, limit: PAGE_SIZE }).finally(() => {
      listInFlight = undefined;
    });
    listInFlight = request;
    const result = await request;
    if (mine !== sequence.list) return;
    if (!result.ok) {
      set({ listError: result.error, listLoading: false });
      return;
    }
    set({
      list: { key: JSON.stringify(query), total: result.value.total, pages: { 0: result.value.items } },
      listLoading: false,
    });
  },

  async ensureRows(start, end) {
    const { list } = get();
    if (!list || get().listLoading) return;
    const mine = sequence.list;
    const last = Math.min(end, list.total) - 1;
    const wanted: number[] = [];
    for (let page = Math.floor(Math.max(0, start) / PAGE_SIZE); page * PAGE_SIZE <= last; page += 1) {
      if (!list.pages[page] && !pagesRequested.has(page)) wanted.push(page);
    }
    await Promise.all(
      wanted.map(async (page) => {
        pagesRequested.add(page);
        const result = await call('contacts.list', {
          ...listQuery(get()),
          offset: page * PAGE_SIZE,
          limit: PAGE_SIZE,
        });
        if (mine !== sequence.list) return;
        if (!result.ok) {
          pagesRequested.delete(page);
          set({ listError: result.error });
          return;
        }
        const current = get().list;
        if (!current) return;
        // The data changed under us (a backup finished): start over from a fresh first page.
        if (result.value.total !== current.total) {
          void get().loadList();
          return;
        }
        set({ list: { ...current, pages: { ...current.pages, [page]: result.value.items } } });
      }),
    );
  },

  async selectAll() {
    if (!get().browseUserKey) return;
    const mine = sequence.list;
    const result = await call('contacts.ids', listQuery(get()));
    if (mine !== sequence.list) return;
    if (result.ok) set({ checkedIds: new Set(result.value) });
    else set({ listError: result.error });
  },

  async loadFolders() {
    const { browseUserKey, browseAt } = get();
    if (!browseUserKey) return;
    const mine = ++sequence.folders;
    const result = await call('folders.list', {
      userKey: browseUserKey,
      ...(browseAt ? { at: browseAt } : {}),
    });
    if (mine !== sequence.folders) return;
    if (result.ok) set({ folders: result.value, foldersError: undefined });
    else set({ foldersError: result.error });
  },

  async loadSnapshots() {
    const { browseUserKey } = get();
    if (!browseUserKey) return;
    const mine = ++sequence.snapshots;
    const result = await call('snapshots.list', { userKey: browseUserKey });
    if (mine !== sequence.snapshots) return;
    // A failed snapshot list only hides the point-in-time choices; the list itself still works.
    set({ snapshots: result.ok ? result.value : [] });
  },

  async openDetails(contactId, snapshotId) {
    const mine = ++sequence.details;
    set({
      detailsId: contactId,
      detailsSnapshotId: snapshotId,
      detailsLoading: true,
      detailsError: undefined,
    });
    const { browseAt } = get();
    const result = await call('contacts.get', {
      contactId,
      ...(snapshotId ? { snapshotId } : browseAt ? { at: browseAt } : {}),
    });
    if (mine !== sequence.details) return;
    if (result.ok) set({ details: result.value, detailsLoading: false });
    else set({ detailsError: result.error, detailsLoading: false });
  },

  previewRestore(request) {
    return call('restore.preview', request);
  },

  closeDetails() {
    sequence.details++;
    set({ details: undefined, detailsId: undefined, detailsSnapshotId: undefined, detailsError: undefined });
  },
});

/** The list query the browse state stands for (without paging). */
export function listQuery(state: ContactsSlice) {
  const search = state.browseSearch.trim();
  const sort = state.browseSort;
  return {
    userKey: state.browseUserKey,
    includeDeleted: true,
    ...(state.browseFolderId ? { folderId: state.browseFolderId } : {}),
    ...(search ? { search } : {}),
    ...(state.browseAt ? { at: state.browseAt } : {}),
    // The default order is left out so the saved first screen can still answer it.
    ...(sort.by !== 'name' ? { sort: sort.by } : {}),
    ...(sort.descending ? { descending: true } : {}),
  };
}
