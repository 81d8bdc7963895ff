/**
 * The single bridge from main-process pushes to the store (style.md: one `bindApi()`): components
 * never subscribe to window.contactsBackup themselves, so every push lands in one place.
 */
import { setApi } from '../lib/api-client';
import type { ContactsBackupApi } from '../lib/api-types';
import { useStore } from './store';

/**
 * Reloads what a change of the backup makes stale: the Dashboard's counts, and when the change
 * concerns the user being browsed (or no user in particular), the point-in-time list, the folder
 * counts, the list rows (keeping the scroll position) and the open info pane; retention's preview
 * and the kept-out counts Settings has read.
 */
export function refreshAfterHistoryChange(userKey: string | undefined): void {
  const state = useStore.getState();
  if (!state.session) return;
  void state.loadAccounts();
  void state.loadNextBackup();
  if (state.retention) void state.loadRetention();
  // A delete that keeps contacts out of backups changes the counts Settings shows.
  for (const key of Object.keys(state.keptOut)) {
    if (!userKey || key === userKey) void state.loadKeptOut(key);
  }
  if (!state.browseUserKey || (userKey && userKey !== state.browseUserKey)) return;
  void state.loadSnapshots();
  void state.loadFolders();
  void state.loadList();
  const { detailsId, detailsSnapshotId } = state;
  if (!detailsId) return;
  void state.openDetails(detailsId, detailsSnapshotId).then(() => {
    // The open contact was deleted from the backup: close its pane rather than show an error.
    const after = useStore.getState();
    if (after.detailsId === detailsId && after.detailsError?.code === 'not-found') after.closeDetails();
  });
}

/** Binds the API for calls and writes its pushes into the store; returns the unbind function. */
export function bindApi(api: ContactsBackupApi): () => void {
  setApi(api);
  const store = useStore;
  const unsubscribers = [
    api.on('tasks.changed', (jobs) => store.getState().upsertJobs(jobs)),
    api.on('notification', (notification) => {
      store.getState().pushToast(notification);
    }),
    api.on('session.changed', (session) => store.getState().setSession(session)),
    // Succeeded or not, a finished backup changes the Dashboard's state, last backup and next backup.
    api.on('backup.finished', () => {
      const state = store.getState();
      if (!state.session) return;
      void state.loadAccounts();
      void state.loadNextBackup();
    }),
    api.on('signIn.open', (event) => store.getState().signInOpened(event)),
    // What the backup holds changed (backup, restore, delete, repair): every view showing it refreshes.
    api.on('history.changed', ({ userKey }) => refreshAfterHistoryChange(userKey)),
  ];
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
    setApi(undefined);
  };
}
