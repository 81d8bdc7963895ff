/**
 * Settings > Licence (issue 9, S1): the edition, licensee, seats used and free, expiry and the state
 * sentence; a key to paste and install; and, per account, the users an administrator enables for
 * Contacts backup (one by one, all, or those matching a search), with why each user cannot be
 * backed up. Enabling more users than free seats is refused by the core with nothing changed; the
 * panel shows that sentence as it came.
 *
 * The licence status and key are in Settings' own licence section; this is the users part.
 */
import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { call } from '../lib/api-client';
import type { AccountUserView, AccountView, ApiError } from '../lib/api-types';
import { useStore } from '../store/store';
import { ErrorMessage } from './error-message';

/** This panel's sentences (kept here while renderer/src/strings.ts is being edited by others). */
export const licenceStrings = {
  title: 'Licence',
  edition: 'Edition',
  editions: { personal: 'Personal', business: 'Business' },
  licensee: 'Licensed to',
  seats: 'Seats',
  seatsLine: (used: number, free: number, seats: number) => `${used} used, ${free} free of ${seats}`,
  personalSeats: 'Your own accounts need no seat',
  expires: 'Expires',
  state: { valid: 'Valid', expired: 'Expired', invalid: 'Not valid', none: 'No licence installed' },
  key: 'Licence key',
  keyHelp: 'Paste the key from your purchase e-mail. It is checked on this computer; nothing is sent.',
  install: 'Install licence',
  installed: 'Licence installed.',
  users: 'Users backed up',
  usersIntro:
    'Choose the users whose contacts are backed up. Each enabled user of a domain or tenant takes one seat; ' +
    'a disabled user’s backups are kept and stay browsable.',
  search: 'Search users',
  enableAll: 'Enable all',
  enableMatching: (count: number) => `Enable ${count} matching`,
  refresh: 'Refresh user list',
  enabledFor: (email: string) => `Back up ${email}`,
  canBackUp: 'Backed up',
  suspended: 'Suspended',
  noUsers: 'No user matches the search.',
  noAccounts: 'Add an account to choose its users.',
} as const;

/** Only the users part, as its own panel. */
export function DirectoryUsersPanel() {
  return (
    <section className="panel" aria-labelledby="licence-users-title" data-testid="licence-users-panel">
      <h2 id="licence-users-title">{licenceStrings.users}</h2>
      <DirectoryUsers />
    </section>
  );
}

function DirectoryUsers() {
  const { accounts, accountsError, loadAccounts } = useStore(
    useShallow((s) => ({
      accounts: s.accounts,
      accountsError: s.accountsError,
      loadAccounts: s.loadAccounts,
    })),
  );
  useEffect(() => {
    void loadAccounts();
  }, [loadAccounts]);
  return (
    <div data-testid="licence-users">
      <p className="muted">{licenceStrings.usersIntro}</p>
      <ErrorMessage error={accountsError} onRetry={loadAccounts} />
      {accounts && accounts.length === 0 ? <p className="empty-state">{licenceStrings.noAccounts}</p> : null}
      {(accounts ?? []).map((account) => (
        <AccountUsers key={account.id} account={account} />
      ))}
    </div>
  );
}

function matches(user: AccountUserView, search: string): boolean {
  const text = search.trim().toLowerCase();
  if (!text) return true;
  return [user.email, user.displayName ?? '', user.id].some((field) => field.toLowerCase().includes(text));
}

function AccountUsers({ account }: { readonly account: AccountView }) {
  const { loadAccounts, loadLicence } = useStore(
    useShallow((s) => ({ loadAccounts: s.loadAccounts, loadLicence: s.loadLicence })),
  );
  const [search, setSearch] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const shown = useMemo(() => account.users.filter((user) => matches(user, search)), [account.users, search]);
  // "Enable all" never asks for suspended users: they cannot be read and would only take seats.
  const enableable = shown.filter((user) => !user.enabled && user.active);

  const apply = async (userIds: string[], enabled: boolean) => {
    if (!userIds.length) return;
    setBusy(true);
    const result = await call('users.setEnabled', { accountId: account.id, userIds, enabled });
    setError(result.ok ? undefined : result.error);
    await Promise.all([loadAccounts(), loadLicence()]);
    setBusy(false);
  };
  const refresh = async () => {
    setBusy(true);
    const result = await call('users.refresh', { accountId: account.id });
    setError(result.ok ? undefined : result.error);
    await Promise.all([loadAccounts(), loadLicence()]);
    setBusy(false);
  };

  const s = licenceStrings;
  const headingId = `licence-account-${account.id}`;
  return (
    <section aria-labelledby={headingId} data-testid="licence-account" data-account-id={account.id}>
      <h3 id={headingId}>
        {account.label} <span className="muted">({account.kind})</span>
      </h3>
      <div className="row">
        <label className="field-inline">
          <span>{s.search}</span>
          <input
            type="search"
            data-testid="user-search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <button
          type="button"
          className="button"
          data-testid="users-enable-all"
          disabled={busy || enableable.length === 0}
          onClick={() =>
            void apply(
              enableable.map((user) => user.id),
              true,
            )
          }
        >
          {search.trim() ? s.enableMatching(enableable.length) : s.enableAll}
        </button>
        <button
          type="button"
          className="button"
          data-testid="users-refresh"
          disabled={busy}
          onClick={refresh}
        >
          {s.refresh}
        </button>
      </div>
      <ErrorMessage error={error} testId="licence-users-error" />
      {shown.length === 0 ? <p className="empty-state">{s.noUsers}</p> : null}
      <ul className="user-list">
        {shown.map((user) => {
          const name = user.email || user.displayName || user.id;
          const reasonId = `licence-reason-${account.id}-${user.id}`;
          return (
            <li key={user.id} data-testid="licence-user" data-user-id={user.id}>
              <label>
                <input
                  type="checkbox"
                  data-testid="user-enable-checkbox"
                  checked={user.enabled}
                  disabled={busy}
                  aria-describedby={reasonId}
                  aria-label={s.enabledFor(name)}
                  onChange={(e) => void apply([user.id], e.target.checked)}
                />{' '}
                {name}
                {!user.active ? <span className="muted"> ({s.suspended})</span> : null}
              </label>
              <span
                id={reasonId}
                className={user.blockedReason ? 'blocked' : 'muted'}
                data-testid="user-blocked-reason"
              >
                {user.blockedReason ?? s.canBackUp}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
