/**
 * A toast that asks to sign an account in again (`signInOf`) goes once the accounts list shows that
 * account signed in, wherever the sign-in happened; toasts about other accounts, and those asking
 * nothing, stay.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { bindApi } from '../../../../renderer/src/store/bind-api';
import { resetStore, useStore } from '../../../../renderer/src/store/store';
import type { AccountView } from '../../../../renderer/src/lib/api-types';
import { createFakeApi, ok, type FakeApi } from '../fake-api';

let api: FakeApi;

function account(id: string, status: AccountView['status']): AccountView {
  return { id, kind: 'microsoft', label: id, status, backupEnabled: true, users: [], seatSource: 'own' };
}

beforeEach(() => {
  resetStore();
  api = createFakeApi();
  bindApi(api);
});

describe('toasts that ask for a sign-in', () => {
  it('go when the account is signed in again, and only then', async () => {
    const { pushToast } = useStore.getState();
    pushToast({
      title: 'Sign-in needed',
      body: 'Sign in to Tenant again.',
      kind: 'warning',
      signInOf: 'acc1',
    });
    pushToast({ title: 'Back up Tenant failed', body: 'Sign in again.', kind: 'error', signInOf: 'acc1' });
    pushToast({ title: 'Back up Home failed', body: 'Sign in again.', kind: 'error', signInOf: 'acc2' });

    api.handle('accounts.list', () =>
      ok([account('acc1', 'sign-in-needed'), account('acc2', 'sign-in-needed')]),
    );
    await useStore.getState().loadAccounts();
    expect(useStore.getState().toasts).toHaveLength(3);

    api.handle('accounts.list', () => ok([account('acc1', 'ok'), account('acc2', 'sign-in-needed')]));
    await useStore.getState().loadAccounts();
    expect(useStore.getState().toasts.map((toast) => toast.title)).toEqual(['Back up Home failed']);
  });
});
