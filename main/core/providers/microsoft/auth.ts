/**
 * Sign-in and token renewal through @azure/msal-node. The MSAL token cache lives only in the
 * account's sealed secrets (through an ICachePlugin), never on disk in clear and never in logs.
 */
import {
  AuthError,
  ConfidentialClientApplication,
  InteractionRequiredAuthError,
  LogLevel,
  PublicClientApplication,
  type AccountInfo,
  type Configuration,
  type ICachePlugin,
  type TokenCacheContext,
} from '@azure/msal-node';
import type { AccountSecrets, OpenBrowser } from '../../ports';
import { ProviderError } from '../provider';
import { httpsNetworkClient } from './https-network-client';
import { resolveEndpoints, type MicrosoftAccountSettings, type MicrosoftSecrets } from './settings';

/** Gives Graph calls a bearer token; `forceRefresh` after a 401. */
export interface TokenSource {
  getToken(forceRefresh: boolean): Promise<string>;
  /** The signed-in account (personal mode), for listUsers. */
  account(): Promise<AccountInfo | undefined>;
}

const AUTH_REQUIRED = 'Sign in to this Microsoft account again to continue backing it up.';
const TENANT_REFUSED =
  'Microsoft refused the app credentials for this tenant. Check the client secret and the admin consent.';

/** Secrets are read-modify-write, so writes from one account are queued one behind the other. */
function secretsWriter(secrets: AccountSecrets): (patch: Partial<MicrosoftSecrets>) => Promise<void> {
  let queue: Promise<void> = Promise.resolve();
  return (patch) => {
    const next = queue.then(async () => {
      const current = (await secrets.get<MicrosoftSecrets>()) ?? {};
      await secrets.set<MicrosoftSecrets>({ ...current, ...patch });
    });
    queue = next.catch(() => undefined);
    return next;
  };
}

function cachePlugin(
  secrets: AccountSecrets,
  write: (patch: Partial<MicrosoftSecrets>) => Promise<void>,
): ICachePlugin {
  return {
    async beforeCacheAccess(context: TokenCacheContext) {
      const stored = await secrets.get<MicrosoftSecrets>();
      if (stored?.msalCache) context.tokenCache.deserialize(stored.msalCache);
    },
    async afterCacheAccess(context: TokenCacheContext) {
      if (context.cacheHasChanged) await write({ msalCache: context.tokenCache.serialize() });
    },
  };
}

/** Identity hosts MSAL carries built-in cloud metadata for (msal-common AuthorityMetadata). */
const MSAL_CLOUD_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.windows.net',
  'login.microsoft.com',
  'sts.windows.net',
  'login.partner.microsoftonline.cn',
  'login.chinacloudapi.cn',
  'login.microsoftonline.de',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
  'login-us.microsoftonline.com',
]);

/**
 * The hosts MSAL may trust without instance discovery. An authority on a host MSAL has no metadata
 * for (a private identity host, the test fake) was named by the account's own settings, so it is
 * trusted as given: otherwise MSAL asks login.microsoftonline.com to vouch for it, which fails
 * offline and for any host Microsoft does not know, and sign-in can never succeed.
 */
function knownAuthoritiesFor(settings: MicrosoftAccountSettings, authority: string): string[] | undefined {
  if (settings.knownAuthorities) return [...settings.knownAuthorities];
  if (settings.cloudDiscoveryMetadata) return undefined;
  let host: string;
  try {
    host = new URL(authority).host.toLowerCase();
  } catch {
    return undefined;
  }
  return MSAL_CLOUD_HOSTS.has(host) ? undefined : [host];
}

/** MSAL configuration; optional settings are left out entirely so MSAL's defaults stay in force. */
function msalConfiguration(
  settings: MicrosoftAccountSettings,
  cache: ICachePlugin,
  clientSecret?: string,
): Configuration {
  const endpoints = resolveEndpoints(settings);
  const auth: Configuration['auth'] = { clientId: settings.clientId, authority: endpoints.authority };
  const knownAuthorities = knownAuthoritiesFor(settings, endpoints.authority);
  if (knownAuthorities) auth.knownAuthorities = knownAuthorities;
  if (settings.authorityMetadata) auth.authorityMetadata = settings.authorityMetadata;
  if (settings.cloudDiscoveryMetadata) auth.cloudDiscoveryMetadata = settings.cloudDiscoveryMetadata;
  if (clientSecret) auth.clientSecret = clientSecret;
  const system: NonNullable<Configuration['system']> = {
    // MSAL's logger could print account names; keep it to errors without PII, and drop them.
    loggerOptions: { piiLoggingEnabled: false, logLevel: LogLevel.Error, loggerCallback: () => undefined },
  };
  if (settings.extraCaPem) system.networkClient = httpsNetworkClient(settings.extraCaPem);
  return { auth, cache: { cachePlugin: cache }, system };
}

/** Said when the user clicked "Cancel" (or "No") on Microsoft's permission page. */
export const CONSENT_DECLINED =
  'You declined the permission to read and write your contacts at Microsoft (AADSTS65004). Sign in again and accept it so Contacts Backup can back them up.';

/** True for Entra's "user declined to consent" (AADSTS65004), however MSAL wrapped it. */
export function isDeclinedConsent(error: unknown): boolean {
  if (!(error instanceof AuthError)) return false;
  return /AADSTS65004/.test(`${error.errorMessage} ${error.message}`);
}

/** Turns an MSAL failure into a plain-sentence ProviderError (never MSAL's text). */
export function authFailure(error: unknown, tenant: boolean): ProviderError {
  if (error instanceof ProviderError) return error;
  if (isDeclinedConsent(error)) return new ProviderError('auth-required', CONSENT_DECLINED);
  if (error instanceof InteractionRequiredAuthError) return new ProviderError('auth-required', AUTH_REQUIRED);
  if (error instanceof AuthError) {
    const code = error.errorCode;
    if (
      [
        'invalid_grant',
        'interaction_required',
        'consent_required',
        'login_required',
        'no_tokens_found',
      ].includes(code)
    ) {
      return new ProviderError('auth-required', AUTH_REQUIRED);
    }
    if (['invalid_client', 'unauthorized_client', 'invalid_scope'].includes(code)) {
      return new ProviderError('auth-required', tenant ? TENANT_REFUSED : AUTH_REQUIRED);
    }
    if (code === 'network_error' || code === 'endpoints_resolution_error' || /timeout/i.test(error.message)) {
      return new ProviderError(
        'network',
        'Microsoft sign-in could not be reached. Check the connection.',
        true,
      );
    }
  }
  return new ProviderError('auth-required', tenant ? TENANT_REFUSED : AUTH_REQUIRED);
}

/** Extra options for the interactive sign-in. */
export interface SignInOptions {
  /** Page MSAL's loopback listener shows after sign-in. */
  readonly successTemplate?: string;
  readonly errorTemplate?: string;
  /** Pre-fills the account picker. */
  readonly loginHint?: string;
  /** Cancels the wait for the browser (the waiting screen's Cancel). */
  readonly signal?: AbortSignal;
  /** Gives up waiting for the browser after this long (default 5 minutes). */
  readonly timeoutMs?: number;
}

const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;

/**
 * Ends MSAL's wait on its loopback listener the way the browser would: by posting an error answer
 * for the pending request's state to its redirect URI, so the listener closes and nothing leaks.
 */
async function abandonListener(authorizeUrl: string | undefined): Promise<void> {
  if (!authorizeUrl) return;
  const query = new URL(authorizeUrl).searchParams;
  const redirectUri = query.get('redirect_uri');
  const state = query.get('state');
  if (!redirectUri || !state) return;
  const target = new URL(redirectUri);
  if (target.hostname === 'localhost') target.hostname = '127.0.0.1';
  await fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ error: 'access_denied', error_description: 'cancelled', state }).toString(),
  })
    .then((response) => response.arrayBuffer())
    .catch(() => undefined);
}

/**
 * Signs a user in through the system browser (authorization code + PKCE on MSAL's loopback
 * listener) and keeps MSAL's token cache in the account's sealed secrets, so later backups renew
 * tokens silently. Returns who signed in.
 */
export async function signInMicrosoft(
  settings: MicrosoftAccountSettings,
  openBrowser: OpenBrowser,
  secrets: AccountSecrets,
  options: SignInOptions = {},
): Promise<{ email: string; homeAccountId: string }> {
  if (settings.mode !== 'personal') {
    throw new ProviderError(
      'invalid-input',
      'Tenant accounts use the app credentials; there is no user sign-in.',
    );
  }
  const write = secretsWriter(secrets);
  const app = new PublicClientApplication(msalConfiguration(settings, cachePlugin(secrets, write)));
  const endpoints = resolveEndpoints(settings);
  let authorizeUrl: string | undefined;
  let ended: 'cancelled' | 'timeout' | undefined;
  const end = (why: 'cancelled' | 'timeout') => {
    if (ended) return;
    ended = why;
    void abandonListener(authorizeUrl);
  };
  const onAbort = () => end('cancelled');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => end('timeout'), options.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS);
  try {
    if (options.signal?.aborted) throw new ProviderError('auth-required', 'Sign-in was cancelled.');
    const result = await app.acquireTokenInteractive({
      scopes: [...endpoints.delegatedScopes],
      openBrowser: async (url) => {
        authorizeUrl = url;
        if (ended) return void (await abandonListener(url));
        await openBrowser.open(url);
      },
      successTemplate:
        options.successTemplate ?? 'Signed in. You can close this window and return to Contacts Backup.',
      errorTemplate:
        options.errorTemplate ?? 'Sign-in did not complete. Return to Contacts Backup and try again.',
      prompt: 'select_account',
      ...(options.loginHint ? { loginHint: options.loginHint } : {}),
    });
    const account = result.account;
    if (!account)
      throw new ProviderError('invalid-response', 'Microsoft did not say which account signed in.');
    await write({ homeAccountId: account.homeAccountId });
    return { email: account.username, homeAccountId: account.homeAccountId };
  } catch (error) {
    if (ended === 'cancelled') throw new ProviderError('auth-required', 'Sign-in was cancelled.');
    if (ended === 'timeout') throw new ProviderError('auth-required', 'Sign-in took too long. Try again.');
    if (error instanceof ProviderError) throw error;
    const failure = authFailure(error, false);
    throw failure.code === 'network' || failure.message === CONSENT_DECLINED
      ? failure
      : new ProviderError('auth-required', 'Microsoft sign-in did not complete. Try signing in again.');
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Stores the app's client secret for tenant mode (sealed with the other account secrets). */
export async function saveMicrosoftClientSecret(
  secrets: AccountSecrets,
  clientSecret: string,
): Promise<void> {
  await secretsWriter(secrets)({ clientSecret });
}

/**
 * The token source a provider uses: silent renewal for a signed-in user, or the client-credentials
 * grant in tenant mode. Concurrent callers share one in-flight acquisition, which also keeps the
 * cache plugin's read-modify-write of the secrets from racing.
 */
export function createTokenSource(settings: MicrosoftAccountSettings, secrets: AccountSecrets): TokenSource {
  const write = secretsWriter(secrets);
  const plugin = cachePlugin(secrets, write);
  const endpoints = resolveEndpoints(settings);
  const tenant = settings.mode === 'tenant';
  let publicApp: PublicClientApplication | undefined;
  let confidentialApp: ConfidentialClientApplication | undefined;
  const inFlight = new Map<boolean, Promise<string>>();

  async function account(): Promise<AccountInfo | undefined> {
    if (tenant) return undefined;
    publicApp ??= new PublicClientApplication(msalConfiguration(settings, plugin));
    const stored = await secrets.get<MicrosoftSecrets>();
    const cache = publicApp.getTokenCache();
    if (stored?.homeAccountId) return (await cache.getAccountByHomeId(stored.homeAccountId)) ?? undefined;
    return (await cache.getAllAccounts())[0];
  }

  async function acquire(forceRefresh: boolean): Promise<string> {
    try {
      if (tenant) {
        if (!confidentialApp) {
          const clientSecret = (await secrets.get<MicrosoftSecrets>())?.clientSecret;
          if (!clientSecret || !settings.tenant?.tenantId) {
            throw new ProviderError(
              'auth-required',
              'Enter the app credentials for this Microsoft 365 tenant.',
            );
          }
          confidentialApp = new ConfidentialClientApplication(
            msalConfiguration(settings, plugin, clientSecret),
          );
        }
        const result = await confidentialApp.acquireTokenByClientCredential({
          scopes: [...endpoints.appScopes],
          skipCache: forceRefresh,
        });
        if (!result?.accessToken) throw new ProviderError('auth-required', TENANT_REFUSED);
        return result.accessToken;
      }
      const signedIn = await account();
      if (!signedIn) throw new ProviderError('auth-required', AUTH_REQUIRED);
      const result = await (publicApp as PublicClientApplication).acquireTokenSilent({
        account: signedIn,
        scopes: [...endpoints.delegatedScopes],
        forceRefresh,
      });
      return result.accessToken;
    } catch (error) {
      throw authFailure(error, tenant);
    }
  }

  return {
    account,
    getToken(forceRefresh) {
      const running = inFlight.get(forceRefresh);
      if (running) return running;
      const started = acquire(forceRefresh).finally(() => inFlight.delete(forceRefresh));
      inFlight.set(forceRefresh, started);
      return started;
    },
  };
}
