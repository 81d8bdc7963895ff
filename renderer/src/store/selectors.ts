/**
 * Derived data, computed from the store rather than stored (style.md). Selectors that build new
 * arrays or objects are read with `useShallow` so components re-render only when the parts change.
 */
import type {
  AccountUserView,
  AccountView,
  ContactSummaryView,
  FolderView,
  Job,
  JobKind,
  JobState,
} from '../lib/api-types';
import type { ListWindow } from './contacts-slice';
import { PAGE_SIZE } from './contacts-slice';
import type { StoreState } from './store-types';

/** The summary at a row of the current list, or undefined while its page is on its way. */
export function rowAt(list: ListWindow | undefined, index: number): ContactSummaryView | undefined {
  return list?.pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
}

export interface UserChoice {
  readonly user: AccountUserView;
  readonly accountLabel: string;
}

/**
 * Every account user with the label of its account, for the user selector and restore targets.
 * Takes the accounts (not the state) because it builds new objects: callers memoize it on
 * `accounts`, as a selector returning fresh objects would re-render forever.
 */
export function usersOf(accounts: readonly AccountView[] | undefined): UserChoice[] {
  return (accounts ?? []).flatMap((account) =>
    account.users.map((user) => ({ user, accountLabel: account.label })),
  );
}

/**
 * The ticked contacts. Ticks are cleared whenever the list changes to another user, folder, moment
 * or search, so every tick is in the current list.
 */
export function selectChecked(state: StoreState): string[] {
  return [...state.checkedIds];
}

/** True when the list is non-empty and every listed contact is ticked. */
export function selectAllChecked(state: StoreState): boolean {
  const total = state.list?.total ?? 0;
  return total > 0 && state.checkedIds.size >= total;
}

export interface FolderNode {
  readonly folder: FolderView;
  readonly depth: number;
}

/**
 * Folders flattened in tree order (parents before children, siblings by name) with their depth. A
 * parentId that points nowhere puts the folder at the top, so a broken link never hides a folder.
 */
export function flattenFolders(folders: readonly FolderView[]): FolderNode[] {
  const ids = new Set(folders.map((folder) => folder.id));
  const children = new Map<string | undefined, FolderView[]>();
  for (const folder of folders) {
    const parent = folder.parentId && ids.has(folder.parentId) ? folder.parentId : undefined;
    const list = children.get(parent) ?? [];
    list.push(folder);
    children.set(parent, list);
  }
  const systemFirst = (a: FolderView, b: FolderView) =>
    Number(Boolean(b.system)) - Number(Boolean(a.system)) || a.name.localeCompare(b.name);
  const out: FolderNode[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | undefined, depth: number) => {
    for (const folder of (children.get(parent) ?? []).sort(systemFirst)) {
      if (seen.has(folder.id)) continue;
      seen.add(folder.id);
      out.push({ folder, depth });
      walk(folder.id, depth + 1);
    }
  };
  walk(undefined, 0);
  // A cycle (a → b → a) has no root: list what the walk never reached at the top level.
  for (const folder of folders) if (!seen.has(folder.id)) out.push({ folder, depth: 0 });
  return out;
}

/** The folder the Contacts screen has chosen, if any. */
export function selectCurrentFolder(state: StoreState): FolderView | undefined {
  return state.browseFolderId ? state.folders?.find((f) => f.id === state.browseFolderId) : undefined;
}

export interface TaskFilter {
  readonly state?: JobState;
  readonly kind?: JobKind;
}

/** Jobs matching the Task Manager's filters, newest first. */
export function filterJobs(jobs: readonly Job[], filter: TaskFilter): Job[] {
  return jobs.filter(
    (job) => (!filter.state || job.state === filter.state) && (!filter.kind || job.kind === filter.kind),
  );
}

/** One job by id (the export dialog follows its job to show the resulting path). */
export function selectJob(id: string | undefined): (state: StoreState) => Job | undefined {
  return (state) => (id ? state.jobs.find((job) => job.id === id) : undefined);
}
