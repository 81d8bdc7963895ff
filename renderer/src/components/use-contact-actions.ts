/**
 * The actions on selected contacts, shared by the toolbar and the list's context menu so both say
 * and do the same: Back up now, Restore, Delete, Export, Show versions. A job that cannot start is
 * one error toast with a Retry; a started job is the one "… job created" toast the store pushes.
 */
import { useShallow } from 'zustand/react/shallow';
import type { ContactSummaryView } from '../lib/api-types';
import type { ListWindow } from '../store/contacts-slice';
import { useStore } from '../store/store';
import { strings } from '../strings';

/** How many names a delete dialog lists before "and N more". */
export const NAMES_SHOWN = 5;

/** The names of the first selected contacts, in list order, from the pages already loaded. */
export function firstNames(
  list: ListWindow | undefined,
  ids: readonly string[],
  max = NAMES_SHOWN,
): string[] {
  if (!list || ids.length === 0) return [];
  const wanted = new Set(ids);
  const names: string[] = [];
  const pages = Object.keys(list.pages)
    .map(Number)
    .sort((a, b) => a - b);
  for (const page of pages) {
    for (const row of list.pages[page] as readonly ContactSummaryView[]) {
      if (!wanted.has(row.id)) continue;
      names.push(row.displayName);
      if (names.length >= max) return names;
    }
  }
  return names;
}

export interface ContactActions {
  backup(contactIds?: readonly string[], folderIds?: readonly string[]): Promise<void>;
  restore(contactIds: readonly string[]): void;
  remove(contactIds: readonly string[]): void;
  exportContacts(contactIds?: readonly string[]): void;
  showVersions(contactId: string): void;
}

export function useContactActions(): ContactActions | undefined {
  const { userKey, at, startJob, openDialog, pushToast, openDetails, focusVersions } = useStore(
    useShallow((s) => ({
      userKey: s.browseUserKey,
      at: s.browseAt,
      startJob: s.startJob,
      openDialog: s.openDialog,
      pushToast: s.pushToast,
      openDetails: s.openDetails,
      focusVersions: s.requestVersionsFocus,
    })),
  );
  if (!userKey) return undefined;
  const backup = async (contactIds?: readonly string[], folderIds?: readonly string[]) => {
    const result = await startJob('backup.run', {
      userKey,
      ...(contactIds?.length ? { contactIds: [...contactIds] } : {}),
      ...(folderIds?.length ? { folderIds: [...folderIds] } : {}),
    });
    if (!result.ok) {
      pushToast({
        title: strings.contacts.backupStartFailed,
        body: result.error.message,
        kind: 'error',
        retry: () => void backup(contactIds, folderIds),
      });
    }
  };
  return {
    backup,
    restore: (contactIds) =>
      openDialog({ kind: 'restore', userKey, scope: 'contacts', contactIds: [...contactIds], at }),
    remove: (contactIds) =>
      openDialog({
        kind: 'delete',
        userKey,
        contactIds: [...contactIds],
        names: firstNames(useStore.getState().list, contactIds),
      }),
    exportContacts: (contactIds) =>
      openDialog({
        kind: 'export',
        userKey,
        contactIds: contactIds?.length ? [...contactIds] : undefined,
        at,
      }),
    showVersions: (contactId) => {
      focusVersions();
      void openDetails(contactId);
    },
  };
}
