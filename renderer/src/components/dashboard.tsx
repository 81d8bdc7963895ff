/**
 * The Dashboard (S2): accounts and their users with the last backup, and the Configure Backup panel
 * whose Save creates the initial backup jobs. With no account yet it offers the sample address book.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AccountView, ApiError } from '../lib/api-types';
import { formatDateTime } from '../lib/format';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';
import { ConnectAccounts } from './connect-accounts';
import { SignInAgain } from './sign-in-again';
import { ConnectList } from './connect-list';

export function Dashboard() {
  const { accounts, accountsError, loadAccounts, loadNextBackup } = useStore(
    useShallow((s) => ({
      accounts: s.accounts,
      accountsError: s.accountsError,
      loadAccounts: s.loadAccounts,
      loadNextBackup: s.loadNextBackup,
    })),
  );
  useEffect(() => {
    void loadAccounts();
  }, [loadAccounts]);
  // Backup turned on or off, users enabled, schedules saved: all change the next backup time.
  useEffect(() => {
    void loadNextBackup();
  }, [accounts, loadNextBackup]);

  return (
    <main className="page" id="main" tabIndex={-1} data-testid="dashboard">
      <h1>{strings.dashboard.title}</h1>
      <NextBackup />
      <ErrorMessage error={accountsError} onRetry={loadAccounts} testId="accounts-error" />
      {accounts === undefined ? (
        accountsError ? null : (
          <p aria-busy="true">{strings.loading}</p>
        )
      ) : accounts.length === 0 ? (
        <NoAccounts />
      ) : (
        <div className="dashboard-grid">
          <section aria-labelledby="accounts-title" className="panel">
            <h2 id="accounts-title">{strings.dashboard.accounts}</h2>
            {accounts.map((account) => (
              <AccountCard key={account.id} account={account} />
            ))}
          </section>
          <ConfigureBackup accounts={accounts} />
          <ConnectAccounts business={false} />
        </div>
      )}
    </main>
  );
}

/** "Next backup at ..." for the whole profile, from the core's schedule (issue 16 item 1). */
export function NextBackup() {
  const next = useStore((s) => s.nextBackup);
  if (!next) return null;
  return (
    <p className="next-backup" data-testid="next-backup" data-at={next.at ?? ''}>
      {next.at
        ? strings.schedule.nextBackupAt(formatDateTime(next.at), next.userLabel ?? '')
        : strings.schedule.noNextBackup}
    </p>
  );
}

/** The first-run empty state: what to do next, and only what works today. */
export function NoAccounts() {
  const addSample = useStore((s) => s.addSample);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const run = async () => {
    setBusy(true);
    const result = await addSample();
    setBusy(false);
    setError(result.ok ? undefined : result.error);
  };
  return (
    <section className="empty-state panel" data-testid="no-accounts" aria-labelledby="no-accounts-title">
      <h2 id="no-accounts-title">{strings.dashboard.noAccountsTitle}</h2>
      <p>{strings.dashboard.noAccountsBody}</p>
      <button
        type="button"
        className="button button-primary"
        data-testid="try-sample"
        onClick={run}
        disabled={busy}
      >
        {busy ? strings.dashboard.addingSample : strings.dashboard.trySample}
      </button>
      <ErrorMessage error={error} onRetry={run} />
      <ConnectAccounts business={false} />
      <ConnectList />
    </section>
  );
}

function AccountCard({ account }: { readonly account: AccountView }) {
  return (
    <article
      className={account.status === 'sign-in-needed' ? 'account account-blocked' : 'account'}
      data-testid="account-row"
      data-account-id={account.id}
      data-status={account.status}
    >
      <h3>
        {account.label} <span className="muted">({account.kindName ?? account.kind})</span>{' '}
        <span className={account.backupEnabled ? 'badge badge-ok' : 'badge'}>
          {account.backupEnabled ? strings.dashboard.backupOn : strings.dashboard.backupOff}
        </span>
        {account.status === 'sign-in-needed' ? (
          <span className="badge badge-warn">{strings.dashboard.signInNeeded}</span>
        ) : null}
      </h3>
      <SignInAgain account={account} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{strings.dashboard.user}</th>
            <th scope="col">{strings.dashboard.lastBackup}</th>
            <th scope="col">{strings.dashboard.state}</th>
            <th scope="col" className="num">
              {strings.dashboard.contacts}
            </th>
          </tr>
        </thead>
        <tbody>
          {account.users.map((user) => (
            <tr key={user.userKey} data-testid="account-user-row" data-user-key={user.userKey}>
              <th scope="row">
                {user.displayName ?? user.email}
                {user.displayName ? <span className="muted"> {user.email}</span> : null}
                {!user.enabled ? <span className="badge">{strings.dashboard.disabledUser}</span> : null}
                {!user.active ? <span className="badge">{strings.dashboard.inactiveUser}</span> : null}
                {user.blockedReason ? (
                  <p className="blocked" data-testid="blocked-reason">
                    {user.blockedReason}
                  </p>
                ) : null}
              </th>
              <td>{user.lastBackupAt ? formatDateTime(user.lastBackupAt) : strings.dashboard.never}</td>
              <td data-testid="last-backup-state">{user.lastBackupState ?? ''}</td>
              <td className="num" data-testid="contact-count">
                {user.contactCount}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}

function ConfigureBackup({ accounts }: { readonly accounts: readonly AccountView[] }) {
  const configureBackup = useStore((s) => s.configureBackup);
  const [enabled, setEnabled] = useState(() => accounts.some((a) => a.backupEnabled));
  const [apply, setApply] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [outcome, setOutcome] = useState<string | undefined>();

  const save = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setOutcome(undefined);
    const result = await configureBackup(enabled, apply);
    setBusy(false);
    if (result.ok) {
      setError(undefined);
      setOutcome(
        result.value.jobs.length > 0
          ? strings.dashboard.initialBackup(result.value.jobs.length)
          : strings.dashboard.configSaved,
      );
    } else {
      setError(result.error);
    }
  };

  return (
    <section className="panel" aria-labelledby="configure-title" data-testid="configure-backup">
      <h2 id="configure-title">{strings.dashboard.configureTitle}</h2>
      <p className="muted">{strings.dashboard.configureIntro}</p>
      <form className="form" onSubmit={save}>
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            aria-checked={enabled}
            data-testid="configure-backup-switch"
            checked={enabled}
            onChange={(e) => setEnabled(e.target.checked)}
          />
          <span className="switch-track" aria-hidden="true" />
          <span>{strings.dashboard.contactsBackup}</span>
        </label>
        <label className="check">
          <input
            type="checkbox"
            data-testid="configure-backup-apply"
            checked={apply}
            onChange={(e) => setApply(e.target.checked)}
          />
          <span>{strings.dashboard.applyToEnabled}</span>
        </label>
        <div className="row">
          <button
            type="submit"
            className="button button-primary"
            data-testid="configure-backup-save"
            disabled={busy}
          >
            {busy ? strings.dashboard.saving : strings.dashboard.save}
          </button>
        </div>
      </form>
      <ErrorMessage error={error} onRetry={() => void save()} testId="configure-backup-error" />
      {outcome ? (
        <p className="outcome" role="status" data-testid="configure-backup-result">
          {outcome} <a href="#/tasks">{strings.dashboard.openTasks}</a>
        </p>
      ) : null}
    </section>
  );
}
