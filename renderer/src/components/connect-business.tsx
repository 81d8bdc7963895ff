/**
 * Business edition from the window (issue 14, item 3): a Workspace domain (the service-account key
 * chosen with a file picker; its content goes over the API into the vault) and a Microsoft 365 tenant
 * (the client secret typed into a password field, never on a command line). The users to back up are
 * then enabled within the seats in Settings › Users.
 */
import { useState, type FormEvent } from 'react';
import { call } from '../lib/api-client';
import type { AccountView, ApiError, Result } from '../lib/api-types';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';
import { KeyFileInput } from './key-file-input';

function useSubmit() {
  const loadAccounts = useStore((s) => s.loadAccounts);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const run = async (send: () => Promise<Result<AccountView>>) => {
    setBusy(true);
    setDone(undefined);
    const result = await send();
    setBusy(false);
    setError(result.ok ? undefined : result.error);
    if (result.ok) {
      setDone(strings.connect.businessAdded(result.value.label, result.value.users.length));
      await loadAccounts();
    }
  };
  return { busy, error, done, run };
}

function WorkspaceForm() {
  const [adminEmail, setAdminEmail] = useState('');
  const [domain, setDomain] = useState('');
  const [keyJson, setKeyJson] = useState<string | undefined>();
  const { busy, error, done, run } = useSubmit();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!keyJson) return;
    void run(() =>
      call('accounts.connectWorkspace', {
        adminEmail: adminEmail.trim(),
        keyJson,
        ...(domain.trim() ? { domain: domain.trim() } : {}),
      }),
    );
  };
  return (
    <form className="form" onSubmit={submit} data-testid="workspace-form">
      <h4>{strings.connect.workspaceTitle}</h4>
      <label className="field">
        <span>{strings.connect.adminEmail}</span>
        <input type="email" required value={adminEmail} onChange={(e) => setAdminEmail(e.target.value)} />
      </label>
      <label className="field">
        <span>{strings.connect.domain}</span>
        <input value={domain} onChange={(e) => setDomain(e.target.value)} />
      </label>
      <KeyFileInput label={strings.connect.keyFile} testId="workspace-key-file" onKey={setKeyJson} />
      <p className="muted">{strings.connect.keyFileHelp}</p>
      <button type="submit" className="button" disabled={busy || !keyJson}>
        {busy ? strings.connect.connecting : strings.connect.connectWorkspace}
      </button>
      <ErrorMessage error={error} testId="workspace-error" />
      {done ? <p role="status">{done}</p> : null}
    </form>
  );
}

function TenantForm() {
  const [tenantId, setTenantId] = useState('');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const { busy, error, done, run } = useSubmit();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const result = await call('accounts.connectTenant', {
        tenantId: tenantId.trim(),
        clientId: clientId.trim(),
        clientSecret,
      });
      if (result.ok) setClientSecret('');
      return result;
    });
  };
  return (
    <form className="form" onSubmit={submit} data-testid="tenant-form">
      <h4>{strings.connect.tenantTitle}</h4>
      <label className="field">
        <span>{strings.connect.tenantId}</span>
        <input
          required
          value={tenantId}
          data-testid="tenant-id"
          onChange={(e) => setTenantId(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{strings.connect.tenantClientId}</span>
        <input required value={clientId} onChange={(e) => setClientId(e.target.value)} />
      </label>
      <label className="field">
        <span>{strings.connect.tenantSecret}</span>
        <input
          type="password"
          required
          autoComplete="off"
          value={clientSecret}
          data-testid="tenant-secret"
          onChange={(e) => setClientSecret(e.target.value)}
        />
      </label>
      <button type="submit" className="button" disabled={busy}>
        {busy ? strings.connect.connecting : strings.connect.connectTenant}
      </button>
      <ErrorMessage error={error} testId="tenant-error" />
      {done ? <p role="status">{done}</p> : null}
    </form>
  );
}

export function ConnectBusiness() {
  return (
    <details className="connect-business" data-testid="connect-business">
      <summary>{strings.connect.business}</summary>
      <div className="connect-grid">
        <WorkspaceForm />
        <TenantForm />
      </div>
    </details>
  );
}
