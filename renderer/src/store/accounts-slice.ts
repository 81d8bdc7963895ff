/**
 * Accounts and their users (the Dashboard, the user selector, restore targets). Mutations reload the
 * list so the screen shows what the server holds rather than a local guess.
 */
import { call } from '../lib/api-client';
import { strings } from '../strings';
import type { AccountView, ApiError, ProviderView, ResponseOf, Result } from '../lib/api-types';
import type { SliceCreator } from './store-types';

export interface AccountsSlice {
  accounts: readonly AccountView[] | undefined;
  accountsError: ApiError | undefined;
  accountsLoading: boolean;
  loadAccounts(): Promise<void>;
  addSample(): Promise<Result<AccountView>>;
  addVcard(path: string, label?: string): Promise<Result<AccountView>>;
  /** An Outlook PST file as a read-only source. */
  addPst(path: string, label?: string): Promise<Result<AccountView>>;
  removeAccount(accountId: string): Promise<Result<null>>;
  configureBackup(
    enabled: boolean,
    applyToEnabledUsers: boolean,
  ): Promise<Result<ResponseOf<'backup.configure'>>>;
  /** The source kinds of the provider registry; the connect list is built from them. */
  providers: readonly ProviderView[] | undefined;
  providersError: ApiError | undefined;
  loadProviders(): Promise<void>;
  /** Connects a form kind (CardDAV); the secret goes to the vault and is not kept here. */
  connectAccount(
    kind: string,
    values: Record<string, string>,
    secret: string | undefined,
    /** The account to connect again (a new app password); omitted for a new account. */
    accountId?: string,
  ): Promise<Result<AccountView>>;
}

export const createAccountsSlice: SliceCreator<AccountsSlice> = (set, get) => ({
  accounts: undefined,
  accountsError: undefined,
  accountsLoading: false,

  async loadAccounts() {
    set({ accountsLoading: true, accountsError: undefined });
    const result = await call('accounts.list', {});
    if (result.ok) {
      set({ accounts: result.value, accountsLoading: false });
      // A sign-in done anywhere (this window, another, the CLI) answers the toasts that asked for it.
      get().dismissAnsweredSignIns(
        new Set(result.value.filter((account) => account.status === 'ok').map((account) => account.id)),
      );
    } else set({ accountsError: result.error, accountsLoading: false });
  },

  async addSample() {
    const result = await call('accounts.addSample', {});
    if (result.ok) await get().loadAccounts();
    return result;
  },

  async addVcard(path, label) {
    const result = await call('accounts.addVcard', label ? { path, label } : { path });
    if (result.ok) await get().loadAccounts();
    return result;
  },

  providers: undefined,
  providersError: undefined,

  async loadProviders() {
    const result = await call('providers.list', {});
    if (result.ok) set({ providers: result.value, providersError: undefined });
    else set({ providersError: result.error });
  },

  async connectAccount(kind, values, secret, accountId) {
    const result = await call('accounts.connectForm', {
      kind,
      values,
      ...(secret ? { secret } : {}),
      ...(accountId ? { accountId } : {}),
    });
    if (result.ok) await get().loadAccounts();
    return result;
  },

  async addPst(path, label) {
    const result = await call('accounts.addPst', label ? { path, label } : { path });
    if (result.ok) await get().loadAccounts();
    return result;
  },

  async removeAccount(accountId) {
    const result = await call('accounts.remove', { accountId });
    if (result.ok) await get().loadAccounts();
    return result;
  },

  async configureBackup(enabled, applyToEnabledUsers) {
    const result = await call('backup.configure', { enabled, applyToEnabledUsers });
    if (result.ok) {
      // "Connected X: turn on Contacts backup" has been acted on.
      set({ connectNotice: undefined });
      get().upsertJobs(result.value.jobs);
      if (result.value.jobs.length > 0) {
        get().pushToast({
          title: strings.jobCreated.backup,
          body: strings.dashboard.initialBackup(result.value.jobs.length),
          kind: 'info',
          summary: true,
        });
      }
      await get().loadAccounts();
    }
    return result;
  },
});
