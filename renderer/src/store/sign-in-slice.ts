/**
 * Signing in to Google or Microsoft from the window (issue 14): the request that waits for the
 * browser, the sign-in address the core pushes (`signIn.open`), Cancel, and "Sign in again".
 *
 * In the browser host the sign-in page opens in a new tab. A tab opened from a pushed event is
 * blocked as a pop-up, so the click that starts a sign-in opens an empty tab at once and the pushed
 * address is loaded into it; where that tab was refused, the waiting panel links to the address.
 * In Electron the main process already opened the system browser (https only).
 */
import { call } from '../lib/api-client';
import type { AccountView, ApiError, Result, ResponseOf } from '../lib/api-types';
import { strings } from '../strings';
import type { SliceCreator } from './store-types';

export type SignInProvider = 'google' | 'microsoft';

/** What the waiting panel shows. */
export interface SignInWaiting {
  readonly provider: SignInProvider;
  /** Set for "Sign in again". */
  readonly accountId?: string;
  /** The address, once the core pushed it (a link when no tab could be opened). */
  readonly url?: string;
}

export interface SignInSlice {
  signIn: SignInWaiting | undefined;
  /** What the last connect did, as a sentence; kept in the store so it survives the first-run screen giving way to the Dashboard. */
  connectNotice: string | undefined;
  signInOptions: ResponseOf<'accounts.signInOptions'> | undefined;
  loadSignInOptions(): Promise<void>;
  connect(request: {
    provider: SignInProvider;
    clientId?: string;
    clientSecret?: string;
    otherContacts?: boolean;
  }): Promise<Result<ResponseOf<'accounts.connect'>>>;
  /**
   * "Sign in again". A business account brings its new credentials (a Workspace key file's text or
   * a tenant app's new client secret) and opens no sign-in page.
   */
  reconnect(
    account: AccountView,
    credentials?: { readonly keyJson?: string; readonly clientSecret?: string },
  ): Promise<Result<AccountView>>;
  cancelSignIn(): Promise<void>;
  /** Called by bindApi for each `signIn.open` push. */
  signInOpened(event: { provider: SignInProvider; url: string; openedByHost: boolean }): void;
}

let pendingTab: Window | null = null;

/** The browser host serves the window over http on 127.0.0.1; Electron loads it from disk. */
function inBrowserHost(): boolean {
  return typeof window !== 'undefined' && window.location.protocol === 'http:';
}

/** Opens the empty tab during the click (a user gesture), so the pushed address may use it. */
function prepareTab(): void {
  if (!inBrowserHost()) return;
  pendingTab = window.open('', '_blank');
}

function closePendingTab(): void {
  if (pendingTab && !pendingTab.closed) pendingTab.close();
  pendingTab = null;
}

/** A cancelled sign-in is not an error to show: the user asked for it. */
function cancelled(error: ApiError, wasCancelled: boolean): boolean {
  return wasCancelled && error.code === 'auth-required';
}

export const createSignInSlice: SliceCreator<SignInSlice> = (set, get) => {
  let cancelledByUser = false;
  const finish = async <T>(result: Result<T>): Promise<Result<T>> => {
    closePendingTab();
    set({ signIn: undefined });
    if (!result.ok && cancelled(result.error, cancelledByUser))
      return { ok: false, error: { ...result.error, code: 'cancelled' } };
    if (result.ok) await get().loadAccounts();
    return result;
  };
  return {
    signIn: undefined,
    connectNotice: undefined,
    signInOptions: undefined,

    async loadSignInOptions() {
      const result = await call('accounts.signInOptions', {});
      if (result.ok) set({ signInOptions: result.value });
    },

    async connect(request) {
      cancelledByUser = false;
      prepareTab();
      set({ signIn: { provider: request.provider }, connectNotice: undefined });
      const result = await call('accounts.connect', request);
      if (result.ok) {
        const { account, outcome } = result.value;
        set({
          connectNotice:
            outcome === 'reconnected'
              ? strings.connect.reconnected(account.label)
              : strings.connect.added(account.label),
        });
      }
      return finish(result);
    },

    async reconnect(account, credentials) {
      cancelledByUser = false;
      if (credentials) {
        const result = await call('accounts.reconnect', { accountId: account.id, ...credentials });
        if (result.ok) await get().loadAccounts();
        return result;
      }
      const provider: SignInProvider = account.kind === 'microsoft' ? 'microsoft' : 'google';
      prepareTab();
      set({ signIn: { provider, accountId: account.id }, connectNotice: undefined });
      return finish(await call('accounts.reconnect', { accountId: account.id }));
    },

    async cancelSignIn() {
      cancelledByUser = true;
      closePendingTab();
      await call('accounts.cancelSignIn', {});
    },

    signInOpened(event) {
      const current = get().signIn;
      if (current) set({ signIn: { ...current, url: event.url } });
      if (event.openedByHost) return;
      if (pendingTab && !pendingTab.closed) {
        pendingTab.location.replace(event.url);
        pendingTab = null;
        return;
      }
      // No tab from the click (refused as a pop-up): try once more; the panel's link remains.
      window.open(event.url, '_blank', 'noopener,noreferrer');
    },
  };
};
