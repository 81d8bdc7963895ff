/**
 * What the Contacts screen browses: the user, folder, search and point in time, and the server's
 * answers for them (list, folders, snapshots, one contact's details). Every request carries a sequence
 * number so a slow answer to an old query never overwrites the answer to a newer one.
 */
import { call } from '../lib/api-client';
import type {
  ApiError,
  ContactDetailsView,
  ContactSummaryView,
  FolderView,
  RestorePlanView,
  RestoreRequest,
  Result,
  SnapshotView,
} from '../lib/api-types';
import type { SliceCreator } from './store-types';

/** Large enough for every summary at once (the schema allows 200,000); the list is virtualized. */
export const LIST_LIMIT = 200_000;
/** Rows of the first answer: more than a screen, small enough to arrive at once. */
export const FIRST_PAGE = 200;

export interface ContactsSlice {
  browseUserKey: string | undefined;
  browseFolderId: string | undefined;
  browseSearch: string;
  /** ISO time of the chosen backup; undefined means now. */
  browseAt: string | undefined;
  list: { total: number; items: ContactSummaryView[] } | undefined;
  listLoading: boolean;
  listError: ApiError | undefined;
  folders: FolderView[] | undefined;
  foldersError: ApiError | undefined;
  snapshots: SnapshotView[] | undefined;
  details: ContactDetailsView | undefined;
  detailsError: ApiError | undefined;
  detailsLoading: boolean;
  detailsId: string | undefined;
  detailsSnapshotId: string | undefined;
  selectUser(userKey: string | undefined): Promise<void>;
  selectFolder(folderId: string | undefined): Promise<void>;
  setSearch(search: string): Promise<void>;
  setAt(at: string | undefined): Promise<void>;
  loadList(): Promise<void>;
  loadFolders(): Promise<void>;
  loadSnapshots(): Promise<void>;
  openDetails(contactId: string, snapshotId?: string): Promise<void>;
  closeDetails(): void;
  /** Asks what a restore would do; writes nothing (B11). */
  previewRestore(request: RestoreRequest): Promise<Result<RestorePlanView>>;
}

const sequence = { list: 0, folders: 0, snapshots: 0, details: 0 };

export const createContactsSlice: SliceCreator<ContactsSlice> = (set, get) => ({
  browseUserKey: undefined,
  browseFolderId: undefined,
  browseSearch: '',
  browseAt: undefined,
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
    });
    if (!userKey) return;
    await Promise.all([get().loadFolders(), get().loadSnapshots(), get().loadList()]);
  },

  async selectFolder(folderId) {
    set({ browseFolderId: folderId, checkedIds: new Set<string>(), activeIndex: 0 });
    await get().loadList();
  },

  async setSearch(search) {
    set({ browseSearch: search, activeIndex: 0 });
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

  async loadList() {
    const { browseUserKey, browseFolderId, browseSearch, browseAt } = get();
    if (!browseUserKey) return;
    const mine = ++sequence.list;
    set({ listLoading: true, listError: undefined });
    const search = browseSearch.trim();
    const query = (limit: number) =>
      call('contacts.list', {
        userKey: browseUserKey,
        limit,
        includeDeleted: true,
        ...(browseFolderId ? { folderId: browseFolderId } : {}),
        ...(search ? { search } : {}),
        ...(browseAt ? { at: browseAt } : {}),
      });
    // A first screenful paints at once; the whole list (100,000 rows take a while to send) follows.
    const first = await query(FIRST_PAGE);
    if (mine !== sequence.list) return;
    if (!first.ok) {
      set({ listError: first.error, listLoading: false });
      return;
    }
    const complete = first.value.items.length >= first.value.total;
    set({ list: first.value, listLoading: !complete });
    if (complete) return;
    const result = await query(LIST_LIMIT);
    if (mine !== sequence.list) return;
    if (result.ok) set({ list: result.value, listLoading: false });
    else set({ listError: result.error, listLoading: false });
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
