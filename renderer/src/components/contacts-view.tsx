/**
 * The Contacts screen (S4, S7–S12): user, point in time and search on top; folders, the list and
 * the info pane side by side; the actions of the user guide (Run Backup, Restore, Restore All,
 * Delete, Export, and the Folder menu) act on the ticked contacts or the chosen folder.
 */
import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatDateTime } from '../lib/format';
import { selectChecked, selectCurrentFolder, usersOf } from '../store/selectors';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ContactList } from './contact-list';
import { ErrorMessage } from './error-message';
import { FolderTree } from './folder-tree';
import { InfoPane } from './info-pane';
import { MenuButton } from './menu-button';
import { useContactActions } from './use-contact-actions';

export function ContactsView() {
  const { accounts, accountsError, userKey, loadAccounts, selectUser } = useStore(
    useShallow((s) => ({
      accounts: s.accounts,
      accountsError: s.accountsError,
      userKey: s.browseUserKey,
      loadAccounts: s.loadAccounts,
      selectUser: s.selectUser,
    })),
  );

  const users = useMemo(() => usersOf(accounts), [accounts]);

  useEffect(() => {
    if (accounts === undefined) void loadAccounts();
  }, [accounts, loadAccounts]);

  // Pick the first user when none is chosen (or the chosen one was removed).
  useEffect(() => {
    if (users.length === 0) return;
    if (!userKey || !users.some((u) => u.user.userKey === userKey)) void selectUser(users[0].user.userKey);
  }, [users, userKey, selectUser]);

  return (
    <main className="page page-contacts" id="main" tabIndex={-1} data-testid="contacts-view">
      <h1 className="visually-hidden">{strings.contacts.title}</h1>
      <ErrorMessage error={accountsError} onRetry={loadAccounts} />
      {accounts !== undefined && users.length === 0 ? (
        <p className="empty-state" data-testid="contacts-no-users">
          {strings.contacts.noUsers} <a href="#/">{strings.menu.dashboard}</a>
        </p>
      ) : (
        <>
          <div className="toolbar" role="toolbar" aria-label={strings.contacts.actions}>
            <label className="field-inline">
              <span>{strings.contacts.user}</span>
              <select
                data-testid="user-select"
                value={userKey ?? ''}
                onChange={(event) => void selectUser(event.target.value || undefined)}
              >
                {users.map(({ user, accountLabel }) => (
                  <option key={user.userKey} value={user.userKey}>
                    {user.displayName ?? user.email} ({accountLabel})
                  </option>
                ))}
              </select>
            </label>
            <PointInTimePicker />
            <SearchBox />
          </div>
          <ActionsBar />
          <div className="contacts-layout">
            <FolderTree />
            <section className="list-pane" aria-label={strings.contacts.list}>
              <ListStatus />
              <ContactList />
            </section>
            <InfoPane />
          </div>
        </>
      )}
    </main>
  );
}

function PointInTimePicker() {
  const { snapshots, at, setAt } = useStore(
    useShallow((s) => ({ snapshots: s.snapshots, at: s.browseAt, setAt: s.setAt })),
  );
  const options = [...(snapshots ?? [])].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt));
  return (
    <label className="field-inline">
      <span>{strings.contacts.pointInTime}</span>
      <select
        data-testid="point-in-time"
        value={at ?? ''}
        onChange={(event) => void setAt(event.target.value || undefined)}
      >
        <option value="">{strings.contacts.latest}</option>
        {options.map((snapshot) => (
          <option key={snapshot.id} value={snapshot.finishedAt}>
            {formatDateTime(snapshot.finishedAt)} ({snapshot.kind})
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Every key asks at once: the store sends one list query at a time and only the newest waiting one,
 * so fast typing costs no extra round trips and the first key is never held back by a timer.
 */
function SearchBox() {
  const { search, setSearch } = useStore(
    useShallow((s) => ({ search: s.browseSearch, setSearch: s.setSearch })),
  );
  return (
    <label className="field-inline search">
      <span className="visually-hidden">{strings.contacts.search}</span>
      <input
        type="search"
        data-testid="contact-search"
        placeholder={strings.contacts.searchPlaceholder}
        aria-label={strings.contacts.search}
        value={search}
        onChange={(event) => void setSearch(event.target.value)}
      />
    </label>
  );
}

function ListStatus() {
  const { shown, selected, at } = useStore(
    useShallow((s) => ({ shown: s.list?.total ?? 0, selected: s.checkedIds.size, at: s.browseAt })),
  );
  return (
    <div className="list-status">
      <span data-testid="list-count" aria-live="polite">
        {strings.contacts.countLine(shown, selected)}
      </span>
      {at ? (
        <span className="badge badge-info" data-testid="as-of-banner">
          {strings.contacts.asOf(formatDateTime(at))}
        </span>
      ) : null}
    </div>
  );
}

function ActionsBar() {
  const checked = useStore(useShallow(selectChecked));
  const folder = useStore(selectCurrentFolder);
  const { userKey, at, openDialog } = useStore(
    useShallow((s) => ({
      userKey: s.browseUserKey,
      at: s.browseAt,
      openDialog: s.openDialog,
    })),
  );
  const actions = useContactActions();
  if (!userKey || !actions) return null;

  const runBackup = (request: { contactIds?: string[]; folderIds?: string[] }) =>
    actions.backup(request.contactIds, request.folderIds);
  const hasSelection = checked.length > 0;
  const folderName = folder?.name;

  return (
    <div
      className="actions"
      role="toolbar"
      aria-label={strings.contacts.actions}
      data-testid="contact-actions"
    >
      <button
        type="button"
        className="button button-primary"
        data-testid="action-run-backup"
        onClick={() => void runBackup(hasSelection ? { contactIds: checked } : {})}
      >
        {strings.contacts.runBackup}
      </button>
      <button
        type="button"
        className="button"
        data-testid="action-restore"
        disabled={!hasSelection}
        title={hasSelection ? undefined : strings.contacts.noSelection}
        onClick={() => actions.restore(checked)}
      >
        {strings.contacts.restore}
      </button>
      <button
        type="button"
        className="button"
        data-testid="action-restore-all"
        onClick={() => openDialog({ kind: 'restore', userKey, scope: 'all', at })}
      >
        {strings.contacts.restoreAll}
      </button>
      <button
        type="button"
        className="button button-danger"
        data-testid="action-delete"
        disabled={!hasSelection}
        title={hasSelection ? undefined : strings.contacts.noSelection}
        onClick={() => actions.remove(checked)}
      >
        {strings.contacts.delete}
      </button>
      <button
        type="button"
        className="button"
        data-testid="action-export"
        onClick={() => actions.exportContacts(hasSelection ? checked : undefined)}
      >
        {strings.contacts.export}
      </button>
      <MenuButton
        label={strings.contacts.folderMenu}
        testId="folder-menu"
        actions={[
          {
            id: 'restore',
            label: strings.contacts.restoreFolder,
            disabled: !folder,
            onSelect: () =>
              folder &&
              openDialog({ kind: 'restore', userKey, scope: 'folder', folderId: folder.id, folderName, at }),
          },
          {
            id: 'delete',
            label: strings.contacts.deleteFolder,
            disabled: !folder,
            onSelect: () =>
              folder &&
              openDialog({ kind: 'delete', userKey, folderId: folder.id, folderName, count: folder.count }),
          },
          {
            id: 'export',
            label: strings.contacts.exportFolder,
            disabled: !folder,
            onSelect: () =>
              folder &&
              openDialog({ kind: 'export', userKey, folderIds: [folder.id], folderName, format: 'pst', at }),
          },
          {
            id: 'backup',
            label: strings.contacts.backupFolder,
            disabled: !folder,
            onSelect: () => folder && void runBackup({ folderIds: [folder.id] }),
          },
        ]}
      />
      {!folder ? <span className="muted small">{strings.contacts.chooseFolderFirst}</span> : null}
    </div>
  );
}
