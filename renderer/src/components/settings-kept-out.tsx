/**
 * Settings > Kept out of backups: per user of each account, how many contacts were deleted from the
 * backup with "Keep them out of later backups" (backups skip them), and "Let them back in", which
 * clears that list so the next backup stores them again (`exclusions.list` / `exclusions.clear`, the
 * same channels as the CLI's `exclusions` commands).
 */
import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ApiError } from '../lib/api-types';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';

interface KeptOutUser {
  readonly userKey: string;
  readonly label: string;
}

export function KeptOutSettings() {
  const { accounts, loadAccounts } = useStore(
    useShallow((s) => ({ accounts: s.accounts, loadAccounts: s.loadAccounts })),
  );
  // Every user of every account, enabled or not: a user no longer backed up may still have some.
  const users = useMemo<KeptOutUser[]>(
    () =>
      (accounts ?? []).flatMap((account) =>
        account.users.map((user) => ({
          userKey: user.userKey,
          label: `${user.email || user.displayName || user.id} (${account.label})`,
        })),
      ),
    [accounts],
  );
  useEffect(() => {
    if (!accounts) void loadAccounts();
  }, [accounts, loadAccounts]);

  const s = strings.keptOut;
  return (
    <section className="panel" aria-labelledby="settings-kept-out" data-testid="settings-kept-out">
      <h2 id="settings-kept-out">{s.title}</h2>
      <p className="muted">{s.intro}</p>
      {accounts && users.length === 0 ? <p className="empty-state">{s.noUsers}</p> : null}
      {users.length > 0 ? (
        <ul className="account-list">
          {users.map((user) => (
            <KeptOutRow key={user.userKey} user={user} named={users.length > 1} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function KeptOutRow({ user, named }: { readonly user: KeptOutUser; readonly named: boolean }) {
  const { count, loadKeptOut, letKeptOutBackIn } = useStore(
    useShallow((s) => ({
      count: s.keptOut[user.userKey],
      loadKeptOut: s.loadKeptOut,
      letKeptOutBackIn: s.letKeptOutBackIn,
    })),
  );
  const [loadError, setLoadError] = useState<ApiError | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);

  const load = async () => {
    const result = await loadKeptOut(user.userKey);
    setLoadError(result.ok ? undefined : result.error);
  };
  useEffect(() => {
    let live = true;
    void loadKeptOut(user.userKey).then((result) => {
      if (live) setLoadError(result.ok ? undefined : result.error);
    });
    return () => {
      live = false;
    };
  }, [user.userKey, loadKeptOut]);

  const letBackIn = async () => {
    setBusy(true);
    const result = await letKeptOutBackIn(user.userKey);
    setBusy(false);
    setError(result.ok ? undefined : result.error);
  };

  const s = strings.keptOut;
  return (
    <li className="account-item" data-testid="kept-out-user" data-user-key={user.userKey}>
      {named ? <span>{user.label}</span> : null}
      <span data-testid="kept-out-count" data-count={count ?? ''}>
        {count === undefined ? (loadError ? null : strings.loading) : s.count(count)}
      </span>
      <button
        type="button"
        className="button"
        data-testid="kept-out-clear"
        aria-label={named ? s.letBackInFor(user.label) : undefined}
        disabled={busy || !count}
        onClick={letBackIn}
      >
        {busy ? s.lettingBackIn : s.letBackIn}
      </button>
      <ErrorMessage error={loadError} onRetry={load} />
      <ErrorMessage error={error} onRetry={letBackIn} testId="kept-out-error" />
    </li>
  );
}
