/**
 * Screen state that is not data: the hash route, the web connection and the open dialog. One dialog
 * at a time, described as data, so any screen (list, folder menu, info pane) can open it.
 */
import type { ExportFormat } from '../lib/api-types';
import type { SliceCreator } from './store-types';

export type Route = 'dashboard' | 'contacts' | 'tasks' | 'settings';
export const ROUTES: readonly Route[] = ['dashboard', 'contacts', 'tasks', 'settings'];

/** `#/` is the main window's Dashboard, `#/tasks` the Task Manager window. */
export function routeFromHash(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[?/]/)[0];
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'dashboard';
}

/** The job named by `#/tasks?job=ID` (a toast's link), if any. */
export function jobIdFromHash(hash: string): string | undefined {
  const query = hash.split('?')[1];
  return query ? (new URLSearchParams(query).get('job') ?? undefined) : undefined;
}

/** The Task Manager with one job shown (its row scrolled to and its log open). */
export function hashOfJob(jobId: string): string {
  return `#/tasks?job=${encodeURIComponent(jobId)}`;
}

export function hashOfRoute(route: Route): string {
  return route === 'dashboard' ? '#/' : `#/${route}`;
}

export type DialogRequest =
  | {
      readonly kind: 'restore';
      readonly userKey: string;
      readonly scope: 'all' | 'folder' | 'contacts';
      readonly folderId?: string;
      readonly folderName?: string;
      readonly contactIds?: readonly string[];
      readonly at?: string;
    }
  | {
      readonly kind: 'delete';
      readonly userKey: string;
      readonly folderId?: string;
      readonly folderName?: string;
      readonly contactIds?: readonly string[];
      /** The first selected contacts' names, in list order, for the dialog to name them. */
      readonly names?: readonly string[];
      /** How many contacts a folder holds now, for the dialog's first sentence. */
      readonly count?: number;
    }
  | {
      readonly kind: 'export';
      readonly userKey: string;
      readonly folderIds?: readonly string[];
      readonly folderName?: string;
      readonly contactIds?: readonly string[];
      readonly format?: ExportFormat;
      readonly at?: string;
    };

/**
 * `no-token`: a browser page the host never let in; `reconnecting`: the host is out of reach and
 * the page keeps trying; `token-invalid`: the host answers but refuses this page (it was restarted
 * with a new token, or the page's access cookie is gone), so only its new address works.
 */
export type Connection = 'connected' | 'reconnecting' | 'no-token' | 'token-invalid';

export interface UiSlice {
  route: Route;
  connection: Connection;
  dialog: DialogRequest | undefined;
  /** Set by "Show versions": the info pane moves focus to the version list once it shows. */
  versionsFocusRequested: boolean;
  /** Asks the host to try the connection again now (the web shim sets it; Electron never loses it). */
  retryConnection: (() => void) | undefined;
  requestVersionsFocus(): void;
  versionsFocused(): void;
  setRetryConnection(retry: (() => void) | undefined): void;
  setRoute(route: Route): void;
  setConnection(connection: Connection): void;
  openDialog(dialog: DialogRequest): void;
  closeDialog(): void;
}

export const createUiSlice: SliceCreator<UiSlice> = (set) => ({
  // Start on the page's own route, so the first render is already the right screen.
  route: typeof window === 'undefined' ? 'dashboard' : routeFromHash(window.location.hash),
  connection: 'connected',
  dialog: undefined,
  versionsFocusRequested: false,
  retryConnection: undefined,
  requestVersionsFocus() {
    set({ versionsFocusRequested: true });
  },
  versionsFocused() {
    set({ versionsFocusRequested: false });
  },
  setRetryConnection(retry) {
    set({ retryConnection: retry });
  },
  setRoute(route) {
    set({ route });
  },
  setConnection(connection) {
    set({ connection });
  },
  openDialog(dialog) {
    set({ dialog });
  },
  closeDialog() {
    set({ dialog: undefined });
  },
});
