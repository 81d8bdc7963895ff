/**
 * Settings: the profile and Lock, profiles and the backup password, the backup schedule, retention,
 * contacts kept out of backups, notifications and start at login, the licence, accounts and the
 * audit log (B16).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AccountView, ApiError } from '../lib/api-types';
import { formatDateTime } from '../lib/format';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';
import { DirectoryUsersPanel, licenceStrings } from './licence-panel';
import { ConnectAccounts } from './connect-accounts';
import { SignInAgain } from './sign-in-again';
import { DiagnosticsPanel } from './diagnostics-panel';
import { RecoveryKeySettings } from './recovery-key-settings';
import { ConnectForm, ConnectList } from './connect-list';
import { CheckSettings } from './settings-check';
import { AddSourceFile } from './settings-source';
import { GeneralSettings } from './settings-general';
import { KeptOutSettings } from './settings-kept-out';
import { ProfileSettings } from './settings-profiles';
import { RetentionSettings } from './settings-retention';
import { ScheduleSettings } from './settings-schedule';

export function SettingsView() {
  const { profileName, lock } = useStore(
    useShallow((s) => ({ profileName: s.session?.profileName ?? '', lock: s.lock })),
  );
  const [lockError, setLockError] = useState<ApiError | undefined>();
  return (
    <main className="page page-settings" id="main" tabIndex={-1} data-testid="settings">
      <h1>{strings.settings.title}</h1>
      <div className="settings-layout">
        <SettingsNav />
        {/* What people come to Settings for most (accounts, users, schedule) comes first. */}
        <div className="settings-sections" data-testid="settings-sections">
          <AccountsSettings />
          <ConnectAccounts />
          <DirectoryUsersPanel />
          <ScheduleSettings />
          <RetentionSettings />
          <KeptOutSettings />
          <GeneralSettings />
          <LicenceSettings />
          <CheckSettings />
          <section className="panel" aria-labelledby="settings-profile">
            <h2 id="settings-profile">{strings.settings.profile}</h2>
            <p>{strings.settings.profileLine(profileName)}</p>
            <button
              type="button"
              className="button"
              data-testid="settings-lock"
              onClick={async () => setLockError(await lock())}
            >
              {strings.settings.lockNow}
            </button>
            <ErrorMessage error={lockError} />
          </section>
          <ProfileSettings />
          <RecoveryKeySettings />
          <AuditLog />
          <DiagnosticsPanel />
        </div>
      </div>
    </main>
  );
}

/** The sections of Settings, in the order they are shown: heading id and its title. */
const SECTIONS: readonly { readonly id: string; readonly label: string }[] = [
  { id: 'settings-accounts', label: strings.settings.accounts },
  { id: 'connect-title', label: strings.connect.title },
  { id: 'licence-users-title', label: licenceStrings.users },
  { id: 'settings-schedule', label: strings.schedule.title },
  { id: 'settings-retention', label: strings.retention.title },
  { id: 'settings-kept-out', label: strings.keptOut.title },
  { id: 'settings-notifications', label: strings.notificationSettings.title },
  { id: 'settings-licence', label: strings.settings.licence },
  { id: 'settings-check', label: strings.check.title },
  { id: 'settings-profile', label: strings.settings.profile },
  { id: 'settings-profiles', label: strings.profiles.title },
  { id: 'settings-recovery', label: strings.recovery.settingsTitle },
  { id: 'settings-audit', label: strings.settings.audit },
  { id: 'settings-diagnostics', label: strings.diagnostics.title },
];

/**
 * The sections of Settings as a list to jump to (Settings is long: fourteen panels). Buttons, not
 * links: the window's address (#/settings) is the app's route.
 */
function SettingsNav() {
  const go = (id: string) => {
    const heading = document.getElementById(id);
    if (!heading) return;
    heading.closest('section')?.scrollIntoView({ block: 'start' });
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  };
  return (
    <nav className="settings-nav" aria-label={strings.settings.sectionsNav} data-testid="settings-nav">
      <ul>
        {SECTIONS.map((section) => (
          <li key={section.id}>
            <button
              type="button"
              className="link-button"
              data-testid="settings-nav-item"
              data-target={section.id}
              onClick={() => go(section.id)}
            >
              {section.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function AccountsSettings() {
  const { accounts, accountsError, loadAccounts, addSample } = useStore(
    useShallow((s) => ({
      accounts: s.accounts,
      accountsError: s.accountsError,
      loadAccounts: s.loadAccounts,
      addSample: s.addSample,
    })),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  useEffect(() => {
    void loadAccounts();
  }, [loadAccounts]);

  const sample = async () => {
    setBusy(true);
    const result = await addSample();
    setBusy(false);
    setError(result.ok ? undefined : result.error);
  };
  return (
    <section className="panel" aria-labelledby="settings-accounts" data-testid="settings-accounts">
      <h2 id="settings-accounts">{strings.settings.accounts}</h2>
      <ErrorMessage error={accountsError} onRetry={loadAccounts} />
      {accounts && accounts.length === 0 ? (
        <p className="empty-state">{strings.settings.noAccounts}</p>
      ) : null}
      <ul className="account-list">
        {(accounts ?? []).map((account) => (
          <AccountItem key={account.id} account={account} />
        ))}
      </ul>
      <div className="row">
        <button
          type="button"
          className="button"
          data-testid="settings-add-sample"
          disabled={busy}
          onClick={sample}
        >
          {strings.settings.addSample}
        </button>
      </div>
      <AddSourceFile />
      <ErrorMessage error={error} testId="settings-accounts-error" />
      <ConnectList />
    </section>
  );
}

function AccountItem({ account }: { readonly account: AccountView }) {
  const removeAccount = useStore((s) => s.removeAccount);
  const formProvider = useStore((s) =>
    s.providers?.find((provider) => provider.kind === account.kind && provider.connect.flow === 'form'),
  );
  const [reconnecting, setReconnecting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const remove = async () => {
    const result = await removeAccount(account.id);
    setError(result.ok ? undefined : result.error);
    setConfirming(false);
  };
  return (
    <li className="account-item" data-testid="settings-account" data-account-id={account.id}>
      <span>
        {account.label} <span className="muted">({account.kindName ?? account.kind})</span>
      </span>
      <SignInAgain account={account} />
      {confirming ? (
        <>
          <span role="alert">{strings.settings.removeConfirm(account.label)}</span>
          <button
            type="button"
            className="button button-danger"
            data-testid="account-remove-confirm"
            onClick={remove}
          >
            {strings.settings.removeAgain}
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            {strings.cancel}
          </button>
        </>
      ) : (
        <button
          type="button"
          className="button"
          data-testid="account-remove"
          aria-label={`${strings.settings.remove} ${account.label}`}
          onClick={() => setConfirming(true)}
        >
          {strings.settings.remove}
        </button>
      )}
      {account.status === 'sign-in-needed' && formProvider ? (
        <button
          type="button"
          className="button"
          data-testid="account-reconnect"
          aria-expanded={reconnecting}
          onClick={() => setReconnecting(!reconnecting)}
        >
          {strings.connectForm.again}
        </button>
      ) : null}
      {reconnecting && formProvider ? (
        <ConnectForm
          provider={formProvider}
          accountId={account.id}
          initialValues={account.connectValues}
          onDone={() => setReconnecting(false)}
        />
      ) : null}
      <ErrorMessage error={error} onRetry={remove} />
    </li>
  );
}

function AuditLog() {
  const { audit, auditError, loadAudit } = useStore(
    useShallow((s) => ({ audit: s.audit, auditError: s.auditError, loadAudit: s.loadAudit })),
  );
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => void loadAudit(search), 150);
    return () => clearTimeout(timer);
  }, [search, loadAudit]);
  return (
    <section className="panel" aria-labelledby="settings-audit" data-testid="audit-log">
      <h2 id="settings-audit">{strings.settings.audit}</h2>
      <label className="field-inline">
        <span>{strings.settings.auditSearch}</span>
        <input
          type="search"
          data-testid="audit-search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </label>
      <ErrorMessage error={auditError} onRetry={() => void loadAudit(search)} />
      {audit && audit.length === 0 ? <p className="empty-state">{strings.settings.auditEmpty}</p> : null}
      {audit && audit.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{strings.settings.when}</th>
              <th scope="col">{strings.settings.action}</th>
              <th scope="col">{strings.settings.description}</th>
            </tr>
          </thead>
          <tbody>
            {audit.map((entry, index) => (
              <tr key={`${entry.at}-${index}`} data-testid="audit-row">
                <td>
                  <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                </td>
                <td>{entry.action}</td>
                <td>{entry.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function LicenceSettings() {
  const { licence, licenceError, loadLicence, installLicence } = useStore(
    useShallow((s) => ({
      licence: s.licence,
      licenceError: s.licenceError,
      loadLicence: s.loadLicence,
      installLicence: s.installLicence,
    })),
  );
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [installed, setInstalled] = useState(false);
  useEffect(() => {
    void loadLicence();
  }, [loadLicence]);

  const install = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await installLicence(key.trim());
    setBusy(false);
    setError(result.ok ? undefined : result.error);
    setInstalled(result.ok);
    if (result.ok) setKey('');
  };

  const s = strings.settings;
  return (
    <section className="panel" aria-labelledby="settings-licence" data-testid="settings-licence">
      <h2 id="settings-licence">{s.licence}</h2>
      <ErrorMessage error={licenceError} onRetry={loadLicence} />
      {licence ? (
        <dl className="fields" data-testid="licence-status" data-state={licence.state}>
          <div className="field-row">
            <dt>{s.edition}</dt>
            <dd>{licence.edition}</dd>
          </div>
          <div className="field-row">
            <dt>{s.licenceState}</dt>
            <dd>{s.licenceStates[licence.state]}</dd>
          </div>
          {licence.licensee ? (
            <div className="field-row">
              <dt>{s.licensee}</dt>
              <dd>{licence.licensee}</dd>
            </div>
          ) : null}
          <div className="field-row">
            <dt>{s.seatsLabel}</dt>
            <dd data-testid="licence-seats">{s.seats(licence.used, licence.seats, licence.free)}</dd>
          </div>
          {licence.expiresAt ? (
            <div className="field-row">
              <dt>{s.expires}</dt>
              <dd>{formatDateTime(licence.expiresAt)}</dd>
            </div>
          ) : null}
        </dl>
      ) : null}
      {licence?.message ? <p className="blocked">{licence.message}</p> : null}
      <form className="form inline-form" onSubmit={install} aria-label={s.installLicence}>
        <label className="field">
          <span>{s.licenceKey}</span>
          <textarea
            data-testid="licence-key"
            rows={3}
            value={key}
            required
            spellCheck={false}
            onChange={(e) => setKey(e.target.value)}
          />
        </label>
        <button type="submit" className="button" data-testid="licence-install" disabled={busy || !key.trim()}>
          {s.installLicence}
        </button>
      </form>
      <ErrorMessage error={error} testId="licence-error" />
      {installed ? (
        <p role="status" className="outcome">
          {s.licenceInstalled}
        </p>
      ) : null}
    </section>
  );
}
