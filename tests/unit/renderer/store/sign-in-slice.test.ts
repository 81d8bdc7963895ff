/**
 * Signing an account in again clears the toasts that still ask for it: the "Sign-in needed"
 * warning and a failed backup's error naming the account go; other toasts stay.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { bindApi } from '../../../../renderer/src/store/bind-api';
import { resetStore, useStore } from '../../../../renderer/src/store/store';
import type { AccountView } from '../../../../renderer/src/lib/api-types';
import { createFakeApi, ok, type FakeApi } from '../fake-api';

let api: FakeApi;

const account: AccountView = {
  id: 'acc1',
  kind: 'microsoft',
  label: 'Contoso tenant',
  status: 'sign-in-needed',
  backupEnabled: true,
  users: [],
  renewal: 'client-secret',
  seatSource: 'directory',
};

beforeEach(() => {
  resetStore();
  api = createFakeApi();
  bindApi(api);
  api.handle('accounts.list', () => ok([{ ...account, status: 'ok' as const }]));
});

describe('sign in again', () => {
  it('drops the warnings and errors about that account, and keeps the rest', async () => {
    const { pushToast } = useStore.getState();
    pushToast({ title: 'Sign-in needed', body: 'Sign in to Contoso tenant again.', kind: 'warning' });
    pushToast({
      title: 'Back up Contoso tenant (admin@contoso.example) failed',
      body: 'Microsoft no longer accepts the saved sign-in for this account. Sign in again.',
      kind: 'error',
    });
    pushToast({ title: 'Export failed', body: 'The disk is full.', kind: 'error' });
    api.handle('accounts.reconnect', () => ok({ ...account, status: 'ok' as const }));

    const result = await useStore.getState().reconnect(account, { clientSecret: 'new secret value' });

    expect(result.ok).toBe(true);
    expect(useStore.getState().toasts.map((toast) => toast.body)).toEqual(['The disk is full.']);
  });

  it('keeps information about the account (a job it created)', async () => {
    useStore
      .getState()
      .pushToast({ title: 'Backup job created', body: 'Back up Contoso tenant', kind: 'info' });
    api.handle('accounts.reconnect', () => ok({ ...account, status: 'ok' as const }));
    await useStore.getState().reconnect(account, { clientSecret: 'new secret value' });
    expect(useStore.getState().toasts.map((toast) => toast.title)).toEqual(['Backup job created']);
  });
});
