/**
 * The single bridge from main-process pushes to the store (style.md: one `bindApi()`): components
 * never subscribe to window.contactsBackup themselves, so every push lands in one place.
 */
import { setApi } from '../lib/api-client';
import type { ContactsBackupApi } from '../lib/api-types';
import { useStore } from './store';

/** Binds the API for calls and writes its pushes into the store; returns the unbind function. */
export function bindApi(api: ContactsBackupApi): () => void {
  setApi(api);
  const store = useStore;
  const unsubscribers = [
    api.on('tasks.changed', (jobs) => {
      const state = store.getState();
      const before = new Map(state.jobs.map((job) => [job.id, job.state]));
      state.upsertJobs(jobs);
      // A finished delete changed the backup being browsed: show it without the deleted contacts.
      const deletedHere = jobs.some(
        (job) =>
          job.kind === 'delete' &&
          job.state === 'succeeded' &&
          before.get(job.id) !== 'succeeded' &&
          `${job.scope.accountId}/${job.scope.userId}` === state.browseUserKey,
      );
      if (deletedHere && state.session) {
        void state.loadAccounts();
        void state.loadFolders();
        void state.loadList();
      }
    }),
    api.on('notification', (notification) => {
      store.getState().pushToast(notification);
    }),
    api.on('session.changed', (session) => store.getState().setSession(session)),
    api.on('backup.finished', ({ userKey }) => {
      const state = store.getState();
      if (!state.session) return;
      void state.loadAccounts();
      if (state.browseUserKey === userKey) {
        void state.loadSnapshots();
        void state.loadFolders();
        void state.loadList();
      }
    }),
    api.on('signIn.open', (event) => store.getState().signInOpened(event)),
  ];
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
    setApi(undefined);
  };
}
