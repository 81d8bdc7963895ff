/**
 * Sign-in from the app's window (issue 14, items 1-4): which registration a sign-in uses (the app's
 * own, or the user's own client id), the sign-in address pushed to the window (`signIn.open`: the
 * browser host opens it in a new tab; Electron's host opened it already with shell.openExternal,
 * https only), Cancel, and the business-edition credentials typed or picked in the window.
 */
import type { SessionHost } from './session-host';
import { ApiFailure } from '../contract/api-failure';
import type {
  AccountView,
  ConnectRequest,
  ConnectResultView,
  SignInOptionsView,
} from '../contract/contract-types';
import { dirname } from 'node:path';
import { loadAppRegistrations, type AppRegistrations } from '../accounts/app-registrations';
import type { AccountRecord } from '../accounts/types';
import type { OpenBrowser } from '../ports';
import type { GoogleAccountSettings, GoogleServiceAccountKey } from '../providers/google';
import type { MicrosoftAccountSettings } from '../providers/microsoft';
import { accountViews } from './browse-service';
import {
  connectGoogleAccount,
  connectMicrosoftAccount,
  reconnectAccount,
  type SignInControl,
} from './account-service';

/** A sign-in waits this long for the browser before it says it took too long. */
const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

/** The sign-in in progress per app (one at a time: a new one cancels the previous). */
const running = new WeakMap<SessionHost, AbortController>();

const registrationsCache = new WeakMap<SessionHost, AppRegistrations>();

/** The app's own registrations: the host's (tests, a packaged build), else config and environment. */
export function appRegistrations(app: SessionHost): AppRegistrations {
  let found = registrationsCache.get(app);
  if (!found) {
    found = app.ports.appRegistrations ?? loadAppRegistrations(process.env, dirname(app.paths.assets));
    registrationsCache.set(app, found);
  }
  return found;
}

export function signInOptions(app: SessionHost): SignInOptionsView {
  const registrations = appRegistrations(app);
  return { google: Boolean(registrations.google), microsoft: Boolean(registrations.microsoft) };
}

/** Opens the sign-in address: pushed to the window, and opened by the host where it can (Electron). */
function windowBrowser(app: SessionHost, provider: 'google' | 'microsoft'): OpenBrowser {
  return {
    async open(url) {
      const byHost = app.ports.host !== 'web' && app.ports.openBrowser !== undefined;
      app.emit('signIn.open', { provider, url, openedByHost: byHost });
      if (byHost) await app.ports.openBrowser!.open(url);
    },
  };
}

/** Starts a sign-in's control (Cancel, time limit), cancelling one still waiting. */
function startControl(app: SessionHost, provider: 'google' | 'microsoft'): SignInControl & { done(): void } {
  running.get(app)?.abort();
  const controller = new AbortController();
  running.set(app, controller);
  return {
    openBrowser: windowBrowser(app, provider),
    signal: controller.signal,
    timeoutMs: SIGN_IN_TIMEOUT_MS,
    done: () => {
      if (running.get(app) === controller) running.delete(app);
    },
  };
}

/** The waiting screen's Cancel. */
export function cancelSignIn(app: SessionHost): void {
  running.get(app)?.abort();
  running.delete(app);
}

function viewOf(app: SessionHost, account: AccountRecord): AccountView {
  return accountViews(app.requireSession()).find((view) => view.id === account.id)!;
}

function missing(provider: 'google' | 'microsoft'): ApiFailure {
  return new ApiFailure(
    'not-configured',
    provider === 'google'
      ? 'This build of Contacts Backup has no Google OAuth client of its own. Enter your own client id under “Use your own client id”.'
      : 'This build of Contacts Backup has no Microsoft app registration of its own. Enter your own application (client) id under “Use your own client id”.',
  );
}

/** Google settings for a personal sign-in: the user's own client, else the app's. */
function googleSettings(app: SessionHost, request: ConnectRequest): GoogleAccountSettings {
  const own = appRegistrations(app).google;
  if (request.clientId) {
    return {
      clientId: request.clientId,
      clientSecret: request.clientSecret,
      mode: 'personal',
      otherContacts: request.otherContacts,
    };
  }
  if (!own) throw missing('google');
  return {
    clientId: own.clientId,
    clientSecret: own.clientSecret,
    rootUrl: own.rootUrl,
    oauth: own.oauth,
    mode: 'personal',
    otherContacts: request.otherContacts,
  };
}

/** Microsoft settings for a personal sign-in: the user's own client id, else the app's. */
function microsoftSettings(app: SessionHost, request: ConnectRequest): MicrosoftAccountSettings {
  const own = appRegistrations(app).microsoft;
  if (request.clientId) return { clientId: request.clientId, mode: 'personal' };
  if (!own) throw missing('microsoft');
  return {
    clientId: own.clientId,
    mode: 'personal',
    identityBaseUrl: own.identityBaseUrl,
    authority: own.authority,
    graphBaseUrl: own.graphBaseUrl,
    knownAuthorities: own.knownAuthorities,
    extraCaPem: own.extraCaPem,
  };
}

/** Drops undefined keys, so stored settings stay as small as the CLI's. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

/** "Connect Google" / "Connect Microsoft 365 / Outlook.com": answers when the browser came back. */
export async function connectFromWindow(
  app: SessionHost,
  request: ConnectRequest,
): Promise<ConnectResultView> {
  const session = app.requireSession();
  const control = startControl(app, request.provider);
  try {
    const result =
      request.provider === 'google'
        ? await connectGoogleAccount(session, compact(googleSettings(app, request)), undefined, control)
        : await connectMicrosoftAccount(
            session,
            compact(microsoftSettings(app, request)),
            undefined,
            control,
          );
    return { account: viewOf(app, result.account), outcome: result.outcome };
  } finally {
    control.done();
  }
}

/** Parses a service-account key picked in the window; a sentence when it is not one. */
export function parseServiceAccountKey(keyJson: string): GoogleServiceAccountKey {
  let key: Partial<GoogleServiceAccountKey> & { type?: string };
  try {
    key = JSON.parse(keyJson) as typeof key;
  } catch {
    throw new ApiFailure(
      'invalid-request',
      'That file is not JSON. Choose the service account’s key file (.json).',
    );
  }
  if (!key || typeof key.client_email !== 'string' || typeof key.private_key !== 'string') {
    throw new ApiFailure(
      'invalid-request',
      'That file is not a service-account key: it has no client_email or private_key. Download a JSON key of the service account in the Google Cloud console.',
    );
  }
  return key as GoogleServiceAccountKey;
}

/** "Sign in again" from the window. */
export async function reconnectFromWindow(
  app: SessionHost,
  request: { accountId: string; keyJson?: string; clientSecret?: string },
): Promise<AccountView> {
  const session = app.requireSession();
  const account = session.accounts.find(request.accountId);
  const control = startControl(app, account?.kind === 'microsoft' ? 'microsoft' : 'google');
  try {
    const record = await reconnectAccount(session, request.accountId, control, {
      serviceAccountKey: request.keyJson ? parseServiceAccountKey(request.keyJson) : undefined,
      clientSecret: request.clientSecret,
    });
    return viewOf(app, record);
  } finally {
    control.done();
  }
}

/** Google Workspace from the window: the key file's content is sealed in the vault, never on disk in clear. */
export async function connectWorkspaceFromWindow(
  app: SessionHost,
  request: { adminEmail: string; domain?: string; keyJson: string },
): Promise<AccountView> {
  const session = app.requireSession();
  const key = parseServiceAccountKey(request.keyJson);
  const own = appRegistrations(app).google;
  const settings: GoogleAccountSettings = compact({
    clientId: own?.clientId ?? key.client_email,
    rootUrl: own?.rootUrl,
    oauth: own?.oauth,
    mode: 'workspace',
    workspace: compact({ adminEmail: request.adminEmail, domain: request.domain }),
  });
  const result = await connectGoogleAccount(session, settings, key);
  return viewOf(app, result.account);
}

/** A Microsoft 365 tenant from the window: the client secret travels only over the API, into the vault. */
export async function connectTenantFromWindow(
  app: SessionHost,
  request: { tenantId: string; clientId: string; clientSecret: string },
): Promise<AccountView> {
  const session = app.requireSession();
  const own = appRegistrations(app).microsoft;
  const settings: MicrosoftAccountSettings = compact({
    clientId: request.clientId,
    mode: 'tenant',
    tenant: { tenantId: request.tenantId },
    identityBaseUrl: own?.identityBaseUrl,
    authority: own?.authority,
    graphBaseUrl: own?.graphBaseUrl,
    knownAuthorities: own?.knownAuthorities,
    extraCaPem: own?.extraCaPem,
  });
  const result = await connectMicrosoftAccount(session, settings, request.clientSecret);
  return viewOf(app, result.account);
}
