/**
 * Settings > Licence (issue 9, S1): the edition, licensee, seats used and free, expiry and the state
 * sentence; a key to paste and install; and, per account, the users an administrator enables for
 * Contacts backup (one by one, all, or those matching a search), with why each user cannot be
 * backed up. Enabling more users than free seats is refused by the core with nothing changed; the
 * panel shows that sentence as it came.
 *
 * `LicencePanel` is the whole panel; `DirectoryUsersPanel` is the users part alone, for a Settings
 * page that already shows the licence status and key elsewhere.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { call } from '../lib/api-client';
import type { AccountUserView, AccountView, ApiError, LicenceView } from '../lib/api-types';
import { formatDateTime } from '../lib/format';
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

export function LicencePanel() {
  return (
    <section className="panel" aria-labelledby="licence-panel-title" data-testid="licence-panel">
      <h2 id="licence-panel-title">{licenceStrings.title}</h2>
      <LicenceStatus />
      <LicenceInstall />
      <DirectoryUsers />
    </section>
  );
}

/** Only the users part, as its own panel. */
export function DirectoryUsersPanel() {
  return (
    <section className="panel" aria-labelledby="licence-users-title" data-testid="licence-users-panel">
      <h2 id="licence-users-title">{licenceStrings.users}</h2>
      <DirectoryUsers />
    </section>
  );
}

function useLicence() {
  return useStore(
    useShallow((s) => ({
      licence: s.licence,
      licenceError: s.licenceError,
      loadLicence: s.loadLicence,
      installLicence: s.installLicence,
    })),
  );
}

function LicenceStatus() {
  const { licence, licenceError, loadLicence } = useLicence();
  useEffect(() => {
    void loadLicence();
  }, [loadLicence]);
  return (
    <>
      <ErrorMessage error={licenceError} onRetry={loadLicence} />
      {licence ? <LicenceFacts licence={licence} /> : null}
    </>
  );
}

function LicenceFacts({ licence }: { readonly licence: LicenceView }) {
  const s = licenceStrings;
  return (
    <>
      <dl className="fields" data-state={licence.state}>
        <div className="field-row">
          <dt>{s.edition}</dt>
          <dd data-testid="licence-edition">
            {s.editions[licence.edition]} ({s.state[licence.state]})
          </dd>
        </div>
        {licence.licensee ? (
          <div className="field-row">
            <dt>{s.licensee}</dt>
            <dd>{licence.licensee}</dd>
          </div>
        ) : null}
        <div className="field-row">
          <dt>{s.seats}</dt>
          <dd data-testid="licence-seats" data-used={licence.used} data-free={licence.free}>
            {licence.edition === 'business'
              ? s.seatsLine(licence.used, licence.free, licence.seats)
              : s.personalSeats}
          </dd>
        </div>
        {licence.expiresAt ? (
          <div className="field-row">
            <dt>{s.expires}</dt>
            <dd data-testid="licence-expiry">
              <time dateTime={licence.expiresAt}>{formatDateTime(licence.expiresAt)}</time>
            </dd>
          </div>
        ) : null}
      </dl>
      {licence.message ? (
        <p className="blocked" data-testid="licence-message">
          {licence.message}
        </p>
      ) : null}
    </>
  );
}

function LicenceInstall() {
  const { installLicence } = useLicence();
  const loadAccounts = useStore((s) => s.loadAccounts);
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [installed, setInstalled] = useState(false);
  const install = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await installLicence(key.trim());
    setBusy(false);
    setError(result.ok ? undefined : result.error);
    setInstalled(result.ok);
    if (result.ok) {
      setKey('');
      // Seats change what may be backed up: the users' reasons are refreshed too.
      await loadAccounts();
    }
  };
  return (
    <form className="form" onSubmit={install} aria-label={licenceStrings.install}>
      <label className="field">
        <span>{licenceStrings.key}</span>
        <textarea
          data-testid="licence-key-input"
          rows={3}
          value={key}
          required
          spellCheck={false}
          aria-describedby="licence-key-help"
          onChange={(e) => setKey(e.target.value)}
        />
      </label>
      <p id="licence-key-help" className="muted">
        {licenceStrings.keyHelp}
      </p>
      <button type="submit" className="button" data-testid="licence-install" disabled={busy || !key.trim()}>
        {licenceStrings.install}
      </button>
      <ErrorMessage error={error} testId="licence-install-error" />
      {installed ? (
        <p role="status" className="outcome">
          {licenceStrings.installed}
        </p>
      ) : null}
    </form>
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
